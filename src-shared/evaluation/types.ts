/** The evaluation report of one model on one split: per-video rows, totals, baselines and a headline in words. */
import type { ExerciseType } from '../domain/exercises';

/** 'val' is the validation part of the model's training run (same group-aware split as training). */
export type EvalSplit = 'train' | 'val' | 'test';

/** One labeled video with the model's prediction (input of `evaluate`). */
export interface EvalInputRow {
  videoId: number;
  relPath: string;
  exercise: ExerciseType;
  label: number;
  predicted: number;
  /** Null for a model without an exercise head. */
  predictedExercise: ExerciseType | null;
  confidence: number | null;
}

export interface EvalRow extends EvalInputRow {
  absError: number;
  /** Exercise predicted right (null without an exercise head). */
  correct: boolean | null;
}

export type MethodKey = 'model' | 'train-mean' | 'exercise-mean';

/** The totals of the model or of one baseline, on the same rows. */
export interface MethodMetrics {
  key: MethodKey;
  name: string;
  mae: number;
  /** 95 % bootstrap interval of the MAE. */
  maeCi: [number, number] | null;
  rmse: number;
  /** Null when undefined (a constant prediction, or fewer than 2 rows). */
  spearman: number | null;
  spearmanCi: [number, number] | null;
  exerciseAccuracy: number | null;
  perExercise: Array<{ exercise: ExerciseType; count: number; mae: number }>;
}

/** Model vs one baseline: how many MAE points the model gains (positive = the model is better). */
export interface BaselineComparison {
  baseline: Exclude<MethodKey, 'model'>;
  maeGain: number;
  ci: [number, number] | null;
  verdict: 'better' | 'worse' | 'unclear';
}

export interface EvaluationReport {
  split: EvalSplit;
  model: { id: number | null; name: string };
  n: number;
  rows: EvalRow[];
  /** The model first, then the baselines. */
  methods: MethodMetrics[];
  comparisons: BaselineComparison[];
  /** confusion[true][predicted] over `confusionLabels` (empty without an exercise head). */
  confusionLabels: ExerciseType[];
  confusion: number[][];
  /** In words: does the model beat the baselines beyond the interval? */
  headline: string;
  /** What to keep in mind reading the numbers (small n, in-sample baseline …). */
  notes: string[];
  bootstrap: { resamples: number; seed: number };
  /** Training labels the baselines were computed from. */
  trainCount: number;
  /** Videos of the split left out, and why. */
  skipped: { unlabeled: number; noKeypoints: number; noPose: number };
  seconds?: number;
}
