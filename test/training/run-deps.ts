/** The tfjs (wasm) dependencies of a training run over a real home's Services, as the CLI passes them. */
import type { Services } from '../../src-main/services';
import type { RunDeps } from '../../src-shared/training/run';
import { trainModel, splitByGroup, predictWithSaved } from '../../src-shared/model';
import { initTfjsWasm } from '../tflite/tfjs-backend';

export async function wasmRunDeps(s: Services, extra: Partial<RunDeps> = {}): Promise<RunDeps> {
  const backend = await initTfjsWasm();
  return { invoke: (n, i) => s.invoke(n, i), trainModel, splitByGroup, predict: predictWithSaved, backend, ...extra };
}
