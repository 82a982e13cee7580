/** tfjs in Node (main process, CLI): the WASM backend with its .wasm files located explicitly, else pure-JS CPU. */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';

let ready: Promise<string> | undefined;

/** WASM is the fastest backend Node has here (tfjs-node cannot install offline); `pureJs` forces the CPU backend. */
export function initTfNode(opts: { pureJs?: boolean } = {}): Promise<string> {
  ready ??= (async () => {
    if (!opts.pureJs) {
      try {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
        wasm.setWasmPaths(dist + path.sep);
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return 'wasm';
        }
      } catch {
        // fall through to CPU
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return ready;
}
