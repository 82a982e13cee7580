import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../src-shared/model/callbacks/early-stopping';
import { ReduceLROnPlateau } from '../../src-shared/model/callbacks/reduce-lr-on-plateau';
import { addScoreErrors, exerciseHits } from '../../src-shared/model/fit/evaluate';

describe('EarlyStopping', () => {
  it('tracks the best value and its epoch, and stops after `patience` epochs without an improvement', () => {
    const es = new EarlyStopping(2);
    expect(es.onEpochEnd(0, 10)).toBe(true);
    expect(es.onEpochEnd(1, 8)).toBe(true);
    expect(es.onEpochEnd(2, 8)).toBe(false); // equal is not better
    expect(es.stopTraining).toBe(false);
    expect(es.onEpochEnd(3, 9)).toBe(false);
    expect(es.stopTraining).toBe(true);
    expect(es.state()).toEqual({ best: 8, bestEpoch: 1, wait: 2 });
  });

  it('counts only improvements larger than minDelta, and an improvement resets the count', () => {
    const es = new EarlyStopping(3, 0.5);
    es.onEpochEnd(0, 10);
    expect(es.onEpochEnd(1, 9.6)).toBe(false); // 0.4 < minDelta
    expect(es.best).toBe(10);
    expect(es.onEpochEnd(2, 9.4)).toBe(true);
    expect(es.wait).toBe(0);
    expect(es.bestEpoch).toBe(2);
  });

  it('restores its state (resume from a checkpoint)', () => {
    const es = new EarlyStopping(2);
    es.restore({ best: 5, bestEpoch: 3, wait: 1 });
    expect(es.onEpochEnd(4, 6)).toBe(false);
    expect(es.stopTraining).toBe(true);
    expect(es.bestEpoch).toBe(3);
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies lr by factor after `patience` epochs without an improvement, then counts again', () => {
    const rl = new ReduceLROnPlateau({ factor: 0.5, patience: 2, minLr: 0.1 });
    const opt = { lr: 1 };
    const lrs: number[] = [];
    for (const v of [5, 6, 6, 6, 6, 4, 7, 7]) {
      rl.onEpochEnd(v, opt);
      lrs.push(opt.lr);
    }
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]);
  });

  it('never goes below minLr and stops reducing once there', () => {
    const rl = new ReduceLROnPlateau({ factor: 0.1, patience: 1, minLr: 0.05 });
    const opt = { lr: 0.2 };
    rl.onEpochEnd(1, opt);
    rl.onEpochEnd(1, opt);
    expect(opt.lr).toBeCloseTo(0.05, 12);
    rl.onEpochEnd(1, opt);
    expect(opt.lr).toBeCloseTo(0.05, 12);
    expect(rl.wait).toBe(1); // at minLr the counter keeps running, nothing is reduced
  });

  it('honours minDelta and restores its state', () => {
    const rl = new ReduceLROnPlateau({ factor: 0.5, patience: 1, minLr: 0, minDelta: 1 });
    rl.restore({ best: 10, wait: 0 });
    const opt = { lr: 1 };
    rl.onEpochEnd(9.5, opt); // not enough of an improvement
    expect(opt.lr).toBe(0.5);
    rl.onEpochEnd(8, opt);
    expect(opt.lr).toBe(0.5);
    expect(rl.state()).toEqual({ best: 8, wait: 0 });
  });
});

describe('batch metrics', () => {
  it('score errors in points and exercise hits over labelled samples only', () => {
    const acc = addScoreErrors({ ae: 0, se: 0 }, [50, 20], new Float32Array([0.4, 0.2]), 2);
    expect(acc.ae).toBeCloseTo(10, 4);
    expect(acc.se).toBeCloseTo(100, 3);
    const probs = new Float32Array([0.1, 0.9, 0, 0.7, 0.2, 0.1, 0.3, 0.3, 0.4]);
    expect(exerciseHits(probs, [1, 1, -1], 3)).toEqual({ correct: 1, labeled: 2 });
  });
});
