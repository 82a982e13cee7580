/** Evaluation of a model on a split (pure): see evaluate.ts. */
export * from './types';
export { evaluate, type EvaluateOptions } from './evaluate';
export { headlineOf } from './headline';
export { formatEvaluation, evaluationCsv, csvCell, methodRow, METHOD_HEADER } from './format';
export { mean, sd, interval95, bootstrap, spearman, ranks, percentileSorted } from './stats';
export {
  dataWarnings,
  runWarnings,
  MIN_VAL_CLIPS,
  MIN_PER_EXERCISE,
  MIN_SCORE_SD,
  type DataWarning,
  type WarningCode,
} from './warnings';
