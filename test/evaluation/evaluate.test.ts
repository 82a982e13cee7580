/** The evaluation module against numbers worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  evaluationCsv,
  formatEvaluation,
  interval95,
  percentileSorted,
  ranks,
  sd,
  spearman,
  type EvalInputRow,
} from '../../src-shared/evaluation';
import type { ExerciseType } from '../../src-shared/domain/exercises';

const row = (
  videoId: number,
  exercise: ExerciseType,
  label: number,
  predicted: number,
  predictedExercise: ExerciseType | null,
): EvalInputRow => ({
  videoId,
  relPath: `v${videoId}.mp4`,
  exercise,
  label,
  predicted,
  predictedExercise,
  confidence: predictedExercise ? 0.9 : null,
});

// Model errors 10, 5, 10, 5. Training: squat 90, 70 (mean 80), lunge 30, 50 (mean 40), overall mean 60.
const ROWS = [
  row(1, 'squat', 80, 70, 'squat'),
  row(2, 'squat', 60, 65, 'lunge'),
  row(3, 'lunge', 40, 50, 'lunge'),
  row(4, 'lunge', 20, 25, 'lunge'),
];
const TRAIN = [
  { score: 90, exercise: 'squat' as const },
  { score: 70, exercise: 'squat' as const },
  { score: 30, exercise: 'lunge' as const },
  { score: 50, exercise: 'lunge' as const },
];
const opts = { split: 'test' as const, model: { id: 1, name: 'run 1' }, train: TRAIN };

describe('evaluation statistics', () => {
  it('percentile, sd, Spearman with ties', () => {
    expect(percentileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    // ranks [3.5, 3.5, 1.5, 1.5] vs [4, 3, 2, 1]: 4 / sqrt(4 · 5)
    expect(spearman([80, 80, 40, 40], [80, 60, 40, 20])).toBeCloseTo(4 / Math.sqrt(20), 12);
    expect(Array.from(ranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
    expect(interval95([NaN, NaN])).toBeNull();
  });
});

describe('evaluate', () => {
  const r = evaluate(ROWS, opts);
  const [model, mean, perEx] = r.methods;

  it('per-video rows and the model totals', () => {
    expect(r.rows.map((x) => x.absError)).toEqual([10, 5, 10, 5]);
    expect(r.rows.map((x) => x.correct)).toEqual([true, false, true, true]);
    expect(model.mae).toBe(7.5);
    expect(model.rmse).toBeCloseTo(Math.sqrt(62.5), 12);
    expect(model.spearman).toBe(1);
    expect(model.exerciseAccuracy).toBe(0.75);
    expect(model.perExercise).toEqual([
      { exercise: 'squat', count: 2, mae: 7.5 },
      { exercise: 'lunge', count: 2, mae: 7.5 },
    ]);
    expect(r.confusionLabels).toEqual(['squat', 'lunge']);
    expect(r.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
  });

  it('baselines on the same rows', () => {
    expect(mean.key).toBe('train-mean');
    expect(mean.name).toContain('60.0');
    expect(mean.mae).toBe(20); // |60−80|, |60−60|, |60−40|, |60−20|
    expect(mean.rmse).toBeCloseTo(Math.sqrt(600), 12);
    expect(mean.spearman).toBeNull(); // a constant has no ranking
    expect(perEx.mae).toBe(10); // squat 80: 0, 20; lunge 40: 0, 20
    expect(perEx.rmse).toBeCloseTo(Math.sqrt(200), 12);
    expect(perEx.spearman).toBeCloseTo(4 / Math.sqrt(20), 12);
    expect(r.comparisons.map((c) => c.maeGain)).toEqual([12.5, 2.5]);
  });

  it('bootstrap intervals are seeded, contain the estimate, and the verdict follows them', () => {
    const again = evaluate(ROWS, opts);
    expect(again.methods[0].maeCi).toEqual(model.maeCi);
    expect(model.maeCi![0]).toBeGreaterThanOrEqual(5);
    expect(model.maeCi![1]).toBeLessThanOrEqual(10);
    // Per row the per-exercise baseline gains −10, +15, −10, +15 over the model: resamples of rows 1 and 3 only go negative.
    const c = r.comparisons[1];
    expect(c.ci![0]).toBeLessThan(0);
    expect(c.verdict).toBe('unclear');
    expect(r.headline).toMatch(
      /does not beat predicting the per-exercise training mean beyond the interval: MAE 7\.50 vs 10\.00/,
    );
    expect(r.notes.join(' ')).toContain('Only 4 videos');
  });

  it('says "beats" when the gain interval is above zero, and "worse" when below', () => {
    const many: EvalInputRow[] = [];
    for (let i = 0; i < 60; i++) many.push(row(i + 1, i % 2 ? 'squat' : 'lunge', 20 + i, 20 + i + (i % 3) - 1, null));
    const train = many.map((m) => ({ score: m.label, exercise: m.exercise }));
    const good = evaluate(many, { ...opts, train });
    expect(good.comparisons.every((c) => c.verdict === 'better')).toBe(true);
    expect(good.headline).toMatch(/^The model beats both baselines beyond the interval/);
    expect(evaluate(many, { ...opts, train, seed: 2 }).methods[0].maeCi).not.toEqual(good.methods[0].maeCi);
    expect(good.confusion).toEqual([]);
    expect(good.methods[0].exerciseAccuracy).toBeNull();
    const bad = evaluate(
      many.map((m) => ({ ...m, predicted: 100 - m.label })),
      { ...opts, train },
    );
    expect(bad.comparisons.every((c) => c.verdict === 'worse')).toBe(true);
    expect(bad.headline).toMatch(/^The model is worse than predicting/);
    expect(bad.methods[0].spearman).toBe(-1);
    expect(bad.headline).toContain('not clearly better than chance');
  });

  it('refuses empty input instead of reporting nothing', () => {
    expect(() => evaluate([], opts)).toThrow(/Nothing to evaluate/);
    expect(() => evaluate(ROWS, { ...opts, train: [] })).toThrow(/training labels/);
  });

  it('table and CSV', () => {
    const text = formatEvaluation(r);
    expect(text).toContain('Evaluation of run 1 on the test split: 4 labeled videos');
    expect(text).toMatch(/Baseline: training mean \(60\.0\)\s+20\.00/);
    expect(text).toContain('Confusion matrix');
    const csv = evaluationCsv({ ...r, rows: [{ ...r.rows[0], relPath: '=cmd|x,y' }] }).split('\n');
    expect(csv[0]).toBe('video_id,video,exercise,label,score,abs_error,predicted_exercise,correct');
    expect(csv[1]).toBe(`1,"'=cmd|x,y",squat,80,70,10,squat,true`);
    expect(csv.find((l) => l.startsWith('Model,'))).toMatch(/^Model,4,7\.5,/);
  });
});
