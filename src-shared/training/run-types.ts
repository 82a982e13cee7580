/** The training run's contract: what it needs (deps), what it reports (callbacks), what it returns. */
import type { PoseModelVariant } from '../keypoints/format';
import type { BatchMetrics, trainModel as TrainModelFn, splitByGroup as SplitByGroupFn } from '../model/train';
import type { SavedModel } from '../model/serialize';
import type { ApiName, ApiInput, ApiOutput } from '../api/contract';
import type { Evaluation, EpochRecord, RunStatus, TrainingSettings } from '../api/training-contract';
import type { CrossValidationCallbacks } from './cross-validate';

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

export interface RunCallbacks {
  onStatus?: (text: string) => void;
  onRun?: (info: {
    runId: number;
    settings: TrainingSettings;
    history: EpochRecord[];
    train: number;
    val: number;
    batchesPerEpoch: number;
  }) => void;
  onBatch?: (m: BatchMetrics) => void;
  onEpoch?: (m: EpochRecord) => void;
  onCheckpoint?: (epoch: number) => void;
  /** k-fold: a fold starts (its curve arrives through onFoldEpoch; onEpoch/onBatch are the final model's). */
  onFold?: CrossValidationCallbacks['onFold'];
  onFoldEpoch?: CrossValidationCallbacks['onFoldEpoch'];
}

export interface RunResult {
  runId: number;
  status: Exclude<RunStatus, 'running'>;
  message: string;
  bestEpoch: number | null;
  bestValMae: number | null;
  evaluation: Evaluation | null;
  models: Array<{ role: 'best' | 'final'; modelId: number; name: string; path: string }>;
  predictions: number;
  exerciseHead: boolean;
}

/** A problem with the data or settings the user must fix (shown as is, no stack). */
export class TrainingProblem extends Error {}

export type RunSettings = Omit<TrainingSettings, 'exerciseHead' | 'variant' | 'source'> & {
  variant?: PoseModelVariant;
  source: 'app' | 'cli';
};

/** Advice for an out-of-memory failure (the toolkit's troubleshooting). */
export function isOutOfMemory(message: string): boolean {
  return /out of memory|oom|memory access out of bounds|failed to allocate|allocation failed|cannot enlarge memory|Array buffer allocation|RangeError: Invalid typed array length/i.test(
    message,
  );
}
export const OUT_OF_MEMORY_ADVICE =
  'Out of memory. Try a smaller batch size (e.g. 4), the standard model, or fewer frames (e.g. 16).';
