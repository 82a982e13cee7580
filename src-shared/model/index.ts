/** Public API of the scoring models (pure TypeScript + @tensorflow/tfjs; backend and file I/O are the caller's). */
export * from './architecture';
export * from './serialize';
export { initParams, forward, type ForwardOptions, type ForwardResult } from './forward';
export { ScoringModel, predictWithSaved, type Prediction } from './model';
export {
  trainModel,
  splitByGroup,
  needsExerciseHead,
  type TrainingSample,
  type TrainOptions,
  type TrainResult,
  type BatchMetrics,
  type EpochMetrics,
  type StopReason,
  type DataSplit,
} from './train';
export * from './metrics';
export { bilstm, bilstmFused, bilstmOps, defaultLstmImpl, type LstmImpl, type LstmDirParams } from './lstm';
export { multiHeadSelfAttention, type AttentionParams } from './attention';
export { Rng } from './rng';
export { linearFused, attentionCoreFused } from './fastops';
