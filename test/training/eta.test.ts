import { describe, expect, it } from 'vitest';
import { trainingSecondsLeft } from '../../src-renderer/training/eta';
import type { EpochRecord } from '../../src-shared/api/training-contract';

const epoch = (n: number, seconds: number) => ({ epoch: n, seconds }) as EpochRecord;

describe('training time left (one estimate for the progress line and the status bar)', () => {
  it('is unknown before the first epoch', () => {
    expect(trainingSecondsLeft([], { epoch: 1, batch: 3, of: 10 }, 40)).toBeNull();
  });
  it('uses the last 5 epochs (a slow first epoch drops out) and the batch reached in the current one', () => {
    const history = [epoch(1, 30), epoch(2, 2), epoch(3, 2), epoch(4, 2), epoch(5, 2), epoch(6, 2)];
    expect(trainingSecondsLeft(history, { epoch: 7, batch: 1, of: 2 }, 10)).toBeCloseTo((10 - 6 - 0.5) * 2);
    expect(trainingSecondsLeft(history, null, 10)).toBeCloseTo(8);
  });
});
