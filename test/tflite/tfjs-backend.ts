/** tfjs WASM backend for Node tests/bench, with its .wasm files located explicitly. */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';

let ready: Promise<string> | undefined;

/** Use the WASM backend when it loads (Node reads its .wasm from node_modules), else CPU. Returns the backend name. */
export function initTfjsWasm(): Promise<string> {
  ready ??= (async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Under vitest the default lookup is relative to cwd: point it at the package's dist folder.
      const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(dist + path.sep);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      // fall through to CPU
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return ready;
}
