/**
 * The pose model's two big assets, loaded once on the page and handed to every pose worker: the tasks-vision
 * wasm, compiled once (a `WebAssembly.Module` is shared with workers, and with it V8's compiled and
 * optimized code), and the .task model file's bytes. Each worker fetching and compiling its own copy cost
 * a second 11 MB compile plus its own tier-up warm-up, and a second 9 MB model fetch through the web host.
 */
import { FilesetResolver } from '@mediapipe/tasks-vision';
import { poseModelUrl } from './landmarker';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

export interface PoseAssets {
  /** Compiled from the same fileset the worker's module loader uses (its imports must match that glue). */
  wasmModule: WebAssembly.Module;
  modelBuffer: ArrayBuffer;
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/**
 * Load both for `variant`. The workers use tasks-vision's ES-module loader (`moduleLoader`), so the wasm
 * compiled here is that fileset's binary. Rejects on any failure; the caller then lets each worker load its own.
 */
export async function loadPoseAssets(
  variant: PoseModelVariant,
  wasmBase: string,
  modelBase: string,
): Promise<PoseAssets> {
  const fileset = await FilesetResolver.forVisionTasks(wasmBase, true);
  const [wasmModule, modelBuffer] = await Promise.all([
    WebAssembly.compileStreaming(fetchOk(String(fileset.wasmBinaryPath))),
    fetchOk(poseModelUrl(modelBase, variant)).then((r) => r.arrayBuffer()),
  ]);
  return { wasmModule, modelBuffer };
}
