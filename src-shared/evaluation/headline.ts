/** The evaluation's verdict and caveats in words (what an analyst reads first). */
import type { EvaluationReport, MethodMetrics } from './types';

const f2 = (v: number) => v.toFixed(2);
const ci = (c: [number, number] | null) => (c ? `95 % interval ${f2(c[0])} to ${f2(c[1])}` : 'no interval');
const BASELINE_WORDS = {
  'train-mean': 'the training mean',
  'exercise-mean': 'the per-exercise training mean',
} as const;

/** Against the stronger baseline (lower MAE): better / worse / not distinguishable, with the paired interval. */
export function headlineOf(r: Pick<EvaluationReport, 'methods' | 'comparisons' | 'n'>): string {
  const model = r.methods.find((m) => m.key === 'model')!;
  // The stronger baseline is the bar; on a tie (one exercise type) the simpler one names it.
  const cmp = [...r.comparisons].sort((a, b) => a.maeGain - b.maeGain)[0];
  const base = r.methods.find((m) => m.key === cmp.baseline) as MethodMetrics;
  const words = BASELINE_WORDS[cmp.baseline];
  const vs = `MAE ${f2(model.mae)} vs ${f2(base.mae)}`;
  let s: string;
  if (cmp.verdict === 'better') {
    s = `The model beats ${r.comparisons.every((c) => c.verdict === 'better') ? 'both baselines' : words} beyond the interval: ${vs} (predicting ${words}), ${f2(cmp.maeGain)} points better (${ci(cmp.ci)}).`;
  } else if (cmp.verdict === 'worse') {
    s = `The model is worse than predicting ${words}: ${vs}, ${f2(-cmp.maeGain)} points worse (${ci(cmp.ci && [-cmp.ci[1], -cmp.ci[0]])}).`;
  } else {
    s = `The model does not beat predicting ${words} beyond the interval: ${vs}; the difference ${f2(cmp.maeGain)} points (${ci(cmp.ci)}) includes no difference.`;
  }
  s +=
    model.spearman === null
      ? ' Spearman ρ is undefined (constant predictions or labels).'
      : ` Spearman ρ ${f2(model.spearman)} (${ci(model.spearmanCi)})${model.spearmanCi && model.spearmanCi[0] <= 0 ? ': the ranking is not clearly better than chance' : ''}.`;
  return s;
}

export function notesOf(r: EvaluationReport, trainExercises: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  if (r.n < 10)
    notes.push(
      `Only ${r.n} videos: the intervals are wide. Label more clips of this split (30 or more make the verdict firmer).`,
    );
  if (r.split === 'train')
    notes.push(
      'This is the training split: the model has seen these videos, so the numbers overstate how it does on new ones. Evaluate on the test split.',
    );
  if (r.split === 'val')
    notes.push(
      'The validation videos chose the best epoch, so they favor the model a little; the test split is the unbiased check.',
    );
  const unseen = r.methods[0].perExercise.filter((p) => !trainExercises.has(p.exercise)).map((p) => p.exercise);
  if (unseen.length)
    notes.push(
      `No training labels for ${unseen.join(', ')}: the per-exercise baseline uses the overall training mean there.`,
    );
  const s = r.skipped;
  const left = [
    s.unlabeled && `${s.unlabeled} unlabeled`,
    s.noKeypoints && `${s.noKeypoints} without keypoints (extract them in the Library)`,
    s.noPose && `${s.noPose} with no pose`,
  ].filter(Boolean);
  if (left.length) notes.push(`Left out of this split: ${left.join(', ')}.`);
  return notes;
}
