import type { EpochRecord } from '../../src-shared/api/training-contract';

/**
 * Seconds left in a run from the mean time of its last 5 epochs (start-up and the first, slower epoch drop out),
 * or null before the first epoch. The progress line and the status bar both show this one estimate.
 */
export function trainingSecondsLeft(
  history: readonly EpochRecord[],
  batchPos: { epoch: number; batch: number; of: number } | null,
  epochsTotal: number,
): number | null {
  const recent = history.slice(-5);
  if (!recent.length) return null;
  const secPerEpoch = recent.reduce((a, m) => a + m.seconds, 0) / recent.length;
  const doneEpochs = history[history.length - 1].epoch;
  const inEpoch = batchPos && batchPos.epoch > doneEpochs ? batchPos.batch / batchPos.of : 0;
  return Math.max(0, (epochsTotal - doneEpochs - inEpoch) * secPerEpoch);
}
