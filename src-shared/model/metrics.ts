/** Evaluation helpers on plain arrays (scores on the 0–100 scale). */
import { spearman } from '../evaluation/stats';

type Num = ArrayLike<number>;

export function mae(pred: Num, target: Num): number {
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - target[i]);
  return s / pred.length;
}

export function rmse(pred: Num, target: Num): number {
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - target[i]) ** 2;
  return Math.sqrt(s / pred.length);
}

// Rank statistics live with the evaluation's statistics (one implementation, same tie handling as its bootstrap).
export { ranks, pearson, spearman } from '../evaluation/stats';

/** MAE per exercise class id (only classes that occur). */
export function perExerciseMae(pred: Num, target: Num, exercise: Num): Record<number, { mae: number; count: number }> {
  const acc: Record<number, { sum: number; count: number }> = {};
  for (let i = 0; i < pred.length; i++) {
    const e = exercise[i];
    const a = (acc[e] ??= { sum: 0, count: 0 });
    a.sum += Math.abs(pred[i] - target[i]);
    a.count++;
  }
  const out: Record<number, { mae: number; count: number }> = {};
  for (const [k, v] of Object.entries(acc)) out[Number(k)] = { mae: v.sum / v.count, count: v.count };
  return out;
}

/** m[true][predicted] counts. */
export function confusionMatrix(trueIdx: Num, predIdx: Num, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueIdx.length; i++) m[trueIdx[i]][predIdx[i]]++;
  return m;
}

export function accuracy(trueIdx: Num, predIdx: Num): number {
  if (trueIdx.length === 0) return NaN;
  let c = 0;
  for (let i = 0; i < trueIdx.length; i++) if (trueIdx[i] === predIdx[i]) c++;
  return c / trueIdx.length;
}

/** Index of the largest value (the first on a tie); 0 for an empty vector. The one argmax of the codebase. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

export interface EvaluationReport {
  n: number;
  mae: number;
  rmse: number;
  spearman: number;
  perExercise?: Record<number, { mae: number; count: number }>;
  exerciseAccuracy?: number;
  confusion?: number[][];
}

/** All metrics at once. `exercise`/`exerciseProbs` enable the per-exercise and classification metrics. */
export function evaluatePredictions(
  pred: Num,
  target: Num,
  exercise?: Num,
  exerciseProbs?: ArrayLike<number>[],
  numClasses = 14,
): EvaluationReport {
  const rep: EvaluationReport = {
    n: pred.length,
    mae: mae(pred, target),
    rmse: rmse(pred, target),
    spearman: spearman(pred, target),
  };
  if (exercise) {
    rep.perExercise = perExerciseMae(pred, target, exercise);
    if (exerciseProbs) {
      const p = exerciseProbs.map((q) => argmax(q));
      rep.exerciseAccuracy = accuracy(exercise, p);
      rep.confusion = confusionMatrix(exercise, p, numClasses);
    }
  }
  return rep;
}
