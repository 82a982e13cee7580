/**
 * The one evaluation implementation (the Training view, the Models view and `form-studio evaluate` all use it):
 * per-video rows, MAE / RMSE / Spearman ρ with seeded 95 % bootstrap intervals, exercise accuracy, per-exercise
 * MAE, a confusion matrix, and two baselines on the same rows — the training mean and the per-exercise training
 * mean — so "is the model better than guessing?" has an answer with its uncertainty.
 */
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';
import { argsort, bootstrap, interval95, mean, meanWeighted, spearman, spearmanWeighted } from './stats';
import { headlineOf, notesOf } from './headline';
import type {
  BaselineComparison,
  EvalInputRow,
  EvalRow,
  EvalSplit,
  EvaluationReport,
  MethodKey,
  MethodMetrics,
} from './types';

export interface EvaluateOptions {
  split: EvalSplit;
  model: { id: number | null; name: string };
  /** Labels of the training data the baselines learn from. */
  train: Array<{ score: number; exercise: ExerciseType }>;
  /** Bootstrap resamples (default 1000) and seed (default 1): the same input gives the same intervals. */
  resamples?: number;
  seed?: number;
  skipped?: EvaluationReport['skipped'];
}

const METHOD_NAMES: Record<MethodKey, string> = {
  model: 'Model',
  'train-mean': 'Baseline: training mean',
  'exercise-mean': 'Baseline: per-exercise training mean',
};

function perExercise(rows: EvalInputRow[], err: Float64Array): MethodMetrics['perExercise'] {
  const acc = new Map<ExerciseType, { sum: number; count: number }>();
  rows.forEach((r, i) => {
    const a = acc.get(r.exercise) ?? { sum: 0, count: 0 };
    a.sum += err[i];
    a.count++;
    acc.set(r.exercise, a);
  });
  return EXERCISE_TYPES.filter((t) => acc.has(t)).map((t) => ({
    exercise: t,
    count: acc.get(t)!.count,
    mae: acc.get(t)!.sum / acc.get(t)!.count,
  }));
}

/** Evaluate predictions against labels. Throws on empty input (a report of nothing would look like a result). */
export function evaluate(input: EvalInputRow[], o: EvaluateOptions): EvaluationReport {
  const n = input.length;
  if (n === 0) throw new Error('Nothing to evaluate: no labeled videos with keypoints in this split');
  if (o.train.length === 0) throw new Error('The baselines need training labels: label videos of the train split');
  const resamples = o.resamples ?? 1000;
  const seed = o.seed ?? 1;

  const trainMean = mean(o.train.map((t) => t.score));
  const byExercise = new Map<ExerciseType, number[]>();
  for (const t of o.train)
    (byExercise.get(t.exercise) ?? byExercise.set(t.exercise, []).get(t.exercise)!).push(t.score);
  const exerciseMean = new Map([...byExercise].map(([k, v]) => [k, mean(v)]));

  const labels = Float64Array.from(input, (r) => r.label);
  const preds: Record<MethodKey, Float64Array> = {
    model: Float64Array.from(input, (r) => r.predicted),
    'train-mean': new Float64Array(n).fill(trainMean),
    // An exercise the training data lacks falls back to the overall mean.
    'exercise-mean': Float64Array.from(input, (r) => exerciseMean.get(r.exercise) ?? trainMean),
  };
  const keys = Object.keys(preds) as MethodKey[];
  const errs = Object.fromEntries(keys.map((k) => [k, preds[k].map((p, i) => Math.abs(p - labels[i]))])) as Record<
    MethodKey,
    Float64Array
  >;
  const constant = (a: Float64Array) => a.every((v) => v === a[0]);

  // One set of draws for every statistic, so model − baseline differences are paired.
  const rhoKeys = keys.filter((k) => !constant(preds[k]) && n >= 2);
  const labelOrder = argsort(labels);
  const orders = rhoKeys.map((k) => argsort(preds[k]));
  const scratch: [Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n)];
  const boot = bootstrap(n, resamples, seed, (counts) => [
    ...keys.map((k) => meanWeighted(errs[k], counts)),
    ...rhoKeys.map((k, j) => spearmanWeighted(preds[k], labels, orders[j], labelOrder, counts, scratch)),
  ]);
  const maeBoot = Object.fromEntries(keys.map((k, i) => [k, boot[i]])) as Record<MethodKey, Float64Array>;

  const hasHead = input.every((r) => r.predictedExercise !== null);
  const rows: EvalRow[] = input.map((r, i) => ({
    ...r,
    absError: errs.model[i],
    correct: hasHead ? r.predictedExercise === r.exercise : null,
  }));

  const methods: MethodMetrics[] = keys.map((k) => {
    const ri = rhoKeys.indexOf(k);
    const rho = ri >= 0 ? spearman(preds[k], labels) : NaN;
    let se = 0;
    for (let i = 0; i < n; i++) se += errs[k][i] ** 2;
    return {
      key: k,
      name: k === 'train-mean' ? `${METHOD_NAMES[k]} (${trainMean.toFixed(1)})` : METHOD_NAMES[k],
      mae: mean(errs[k]),
      maeCi: interval95(maeBoot[k]),
      rmse: Math.sqrt(se / n),
      spearman: Number.isFinite(rho) ? rho : null,
      spearmanCi: Number.isFinite(rho) ? interval95(boot[keys.length + ri]) : null,
      exerciseAccuracy: k === 'model' && hasHead ? rows.filter((r) => r.correct).length / n : null,
      perExercise: perExercise(input, errs[k]),
    };
  });

  const comparisons: BaselineComparison[] = (['train-mean', 'exercise-mean'] as const).map((b) => {
    const gain = maeBoot[b].map((v, i) => v - maeBoot.model[i]);
    const ci = interval95(gain);
    const verdict = ci && ci[0] > 0 ? 'better' : ci && ci[1] < 0 ? 'worse' : 'unclear';
    return { baseline: b, maeGain: methods.find((m) => m.key === b)!.mae - methods[0].mae, ci, verdict };
  });

  const { confusionLabels, confusion } = hasHead ? confusionOf(input) : { confusionLabels: [], confusion: [] };
  const report: EvaluationReport = {
    split: o.split,
    model: o.model,
    n,
    rows,
    methods,
    comparisons,
    confusionLabels,
    confusion,
    headline: '',
    notes: [],
    bootstrap: { resamples, seed },
    trainCount: o.train.length,
    skipped: o.skipped ?? { unlabeled: 0, noKeypoints: 0, noPose: 0 },
  };
  report.headline = headlineOf(report);
  report.notes = notesOf(report, new Set(byExercise.keys()));
  return report;
}

function confusionOf(rows: EvalInputRow[]): { confusionLabels: ExerciseType[]; confusion: number[][] } {
  const used = new Set<ExerciseType>();
  for (const r of rows) used.add(r.exercise).add(r.predictedExercise!);
  const labels = EXERCISE_TYPES.filter((t) => used.has(t));
  const at = new Map(labels.map((t, i) => [t, i]));
  const m = labels.map(() => new Array<number>(labels.length).fill(0));
  for (const r of rows) m[at.get(r.exercise)!][at.get(r.predictedExercise!)!]++;
  return { confusionLabels: labels, confusion: m };
}
