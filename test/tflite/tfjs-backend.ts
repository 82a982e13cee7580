/** tfjs WASM backend for Node tests/bench: the same initialisation the app's main process uses. */
import { initTfNode } from '../../src-main/models/tf-node';

/** Use the WASM backend when it loads (Node reads its .wasm from node_modules), else CPU. Returns the backend name. */
export function initTfjsWasm(): Promise<string> {
  return initTfNode();
}
