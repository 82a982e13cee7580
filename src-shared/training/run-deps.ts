/** What a training run needs injected (its own file: k-fold cross-validation uses it too, without the run). */
import type { trainModel as TrainModelFn, splitByGroup as SplitByGroupFn } from '../model/train';
import type { SavedModel } from '../model/serialize';
import type { ApiName, ApiInput, ApiOutput } from '../api/contract';

/** What the run needs from tfjs (injected, so this file stays free of tfjs and of any backend). */
export interface RunDeps {
  invoke: <K extends ApiName>(name: K, input: ApiInput<K>) => Promise<ApiOutput<K>>;
  trainModel: typeof TrainModelFn;
  splitByGroup: typeof SplitByGroupFn;
  /** Score clips with a model held in JS memory (creates and disposes its tensors). */
  predict: (model: SavedModel, xs: Float32Array[]) => { scores: Float32Array; exerciseProbs?: Float32Array[] };
  /** Backend name shown in runs ('webgpu', 'webgl', 'wasm', 'cpu' …). */
  backend: string;
  /** Seconds between checkpoint uploads (the last epoch is always checkpointed when stopped). Default 15. */
  checkpointEverySec?: number;
}
