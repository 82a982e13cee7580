/** Small-data warnings: each threshold, with its numbers in the message. */
import { describe, expect, it } from 'vitest';
import { dataWarnings, runWarnings } from '../../src-shared/evaluation';

const items = (scores: number[], exercise: 'squat' | 'lunge' = 'squat') => scores.map((score) => ({ score, exercise }));

describe('dataWarnings', () => {
  it("the issue's case: 12 clips, validation of 3, no test split", () => {
    const w = dataWarnings({
      items: [...items([40, 50, 60, 70, 80, 90, 30, 55, 65]), ...items([50, 60, 70], 'lunge')],
      valCount: 3,
      testLabeled: 0,
    });
    expect(w.map((x) => x.code)).toEqual(['small-val', 'few-per-exercise', 'no-test-split']);
    expect(w[0].message).toContain('3 clips (fewer than 10)');
    expect(w[1].message).toContain('Lunge: 3 labeled clips');
    expect(w[1].message).not.toContain('Squat');
    expect(w[2].advice).toContain('Make a test split');
  });

  it('narrow scores: sd below 5 (sd of 70, 72, 74, 76, 78 is √10 ≈ 3.2)', () => {
    const w = dataWarnings({
      items: items([70, 72, 74, 76, 78, 74, 74, 74, 74, 74, 74, 74]),
      valCount: 12,
      testLabeled: 5,
    });
    expect(w.map((x) => x.code)).toEqual(['narrow-scores']);
    expect(w[0].message).toMatch(/sd \d\.\d around 74\.0/);
    const ok = dataWarnings({ items: items([20, 40, 60, 80, 100]), valCount: 10, testLabeled: 5 });
    expect(ok).toEqual([]);
  });
});

describe('runWarnings', () => {
  it('best epoch first, small validation, inverted ranking', () => {
    const w = runWarnings({ bestEpoch: 1, epochs: 8, valCount: 3, valSpearman: -0.8 });
    expect(w.map((x) => x.code)).toEqual(['small-val', 'best-epoch-first', 'inverted-ranking']);
    expect(w[1].message).toContain('epoch 1 of 8');
    expect(w[2].message).toContain('ρ -0.80');
    expect(runWarnings({ bestEpoch: 6, epochs: 13, valCount: 40, valSpearman: 0.7 })).toEqual([]);
  });
});
