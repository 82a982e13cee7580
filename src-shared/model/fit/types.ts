/** The training loop's public types: samples in, per-batch/per-epoch metrics out, options and the result. */
import type { AugmentOptions } from '../../keypoints/augment';
import type { LstmImpl } from '../lstm';
import type { SavedModel } from '../serialize';

export interface TrainingSample {
  /** numFrames × numFeatures values (normalizeVideoKeypoints output). */
  x: Float32Array;
  /** Quality score 0–100. */
  score: number;
  /** Exercise class id (EXERCISE_TYPES index); needed when the spec has an exercise head. */
  exercise?: number;
  /** Group key (source clip, person, session …): samples of one group never straddle train/validation. */
  group: string;
}

export interface BatchMetrics {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  mae: number;
  rmse: number;
  exerciseAcc?: number;
  lr: number;
  samplesPerSec: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  mae: number;
  rmse: number;
  exerciseAcc?: number;
  lr: number;
  valLoss?: number;
  valMae?: number;
  valRmse?: number;
  valExerciseAcc?: number;
  samplesPerSec: number;
  seconds: number;
  /** True when this epoch produced the new best model. */
  improved: boolean;
}

export interface DataSplit {
  train: number[];
  val: number[];
}

export interface TrainOptions {
  epochs?: number; // 100
  batchSize?: number; // 8
  learningRate?: number; // 1e-4
  /** Early-stopping patience in epochs on the monitored MAE (validation MAE, or training MAE without validation). */
  patience?: number; // 7
  /** Smallest MAE decrease (score points) that counts as an improvement. */
  minDelta?: number; // 0
  /** Reduce-on-plateau: epochs without improvement before lr *= lrFactor. */
  lrPatience?: number; // 3
  lrFactor?: number; // 0.5
  minLr?: number; // 1e-6
  valFraction?: number; // 0.2
  /** Explicit split (sample indices); otherwise `splitByGroup`. */
  split?: DataSplit;
  seed?: number; // 1
  scoreLossWeight?: number; // 1
  exerciseLossWeight?: number; // 0.1
  /** Augmentation of training samples (fresh each epoch); false to disable. Default: disabled. */
  augment?: AugmentOptions | false;
  /** Start from these weights instead of a fresh init (fine-tuning). */
  initialWeights?: SavedModel;
  /** Continue from a checkpoint made by `onCheckpoint` (same spec and samples). */
  resumeFrom?: Uint8Array;
  signal?: AbortSignal;
  onBatchEnd?: (m: BatchMetrics) => void;
  onEpochEnd?: (m: EpochMetrics) => void | Promise<void>;
  /** Called after every epoch with a checkpoint to store (weights + optimizer state + best weights + epoch + rng). */
  onCheckpoint?: (checkpoint: Uint8Array, epoch: number) => void | Promise<void>;
  lstmImpl?: LstmImpl;
}

export const TRAIN_DEFAULTS = {
  epochs: 100,
  batchSize: 8,
  learningRate: 1e-4,
  patience: 7,
  minDelta: 0,
  lrPatience: 3,
  lrFactor: 0.5,
  minLr: 1e-6,
  valFraction: 0.2,
  seed: 1,
  scoreLossWeight: 1,
  exerciseLossWeight: 0.1,
};

export type StopReason = 'completed' | 'early-stopped' | 'aborted' | 'non-finite';

export interface TrainResult {
  /** Weights of the epoch with the lowest monitored MAE. */
  best: SavedModel;
  /** Weights at the end (for 'non-finite': the last finite epoch's weights). */
  final: SavedModel;
  bestEpoch: number;
  bestMae: number;
  history: EpochMetrics[];
  stopReason: StopReason;
  message: string;
  split: DataSplit;
}
