/**
 * The progress line under the settings: run, epoch, fold, batch, samples/s, ETA, best epoch, checkpoint. Its own
 * store subscription, so a batch or epoch update re-renders this line (and the charts), not the whole view.
 */
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTraining } from './training-store';
import { f2 } from './chart-style';
import { trainingSecondsLeft } from './eta';
import type { EpochRecord } from '../../src-shared/api/training-contract';

function fmtDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The epoch of the last improved record (the best so far), or null. */
export function bestEpochOf(history: EpochRecord[]): number | null {
  let best: EpochRecord | null = null;
  for (const m of history) if (m.improved) best = m;
  return best?.epoch ?? null;
}

export const LiveProgress = memo(function LiveProgress(props: {
  live: boolean;
  busy: boolean;
  shownRunId: number | null;
  viewedHistory: EpochRecord[];
  epochsTotal: number;
}) {
  const { live, busy, shownRunId, epochsTotal } = props;
  const t = useTraining(
    useShallow((s) => ({
      history: s.history,
      batchPos: s.batchPos,
      samplesPerSec: s.samplesPerSec,
      lastCheckpoint: s.lastCheckpoint,
      foldPos: s.foldPos,
      foldEpochs: s.foldPos ? (s.folds[s.foldPos.fold - 1]?.length ?? 0) : 0,
    })),
  );
  const history = live ? t.history : props.viewedHistory;
  const bestEpoch = bestEpochOf(history);
  const best = bestEpoch !== null ? history.find((m) => m.epoch === bestEpoch) : undefined;
  const doneEpochs = history.length ? history[history.length - 1].epoch : 0;
  const inEpoch = t.batchPos && t.batchPos.epoch > doneEpochs ? t.batchPos.batch / t.batchPos.of : 0;
  const eta = busy ? trainingSecondsLeft(history, t.batchPos, epochsTotal) : null;
  const sps = busy ? t.samplesPerSec : history.length ? history[history.length - 1].samplesPerSec : null;
  return (
    <div className="tr-progress">
      <span data-testid="training-epoch">
        {shownRunId !== null ? `Run ${shownRunId} · ` : ''}Epoch {doneEpochs} / {epochsTotal}
      </span>
      {busy && t.foldPos && (
        <span data-testid="training-fold">
          fold {t.foldPos.fold} of {t.foldPos.k} · epoch {t.foldEpochs}
        </span>
      )}
      {busy && t.batchPos && (
        <span>
          batch {t.batchPos.batch}/{t.batchPos.of} of epoch {t.batchPos.epoch}
        </span>
      )}
      <span data-testid="training-sps">{sps !== null ? `${sps.toFixed(1)} samples/s` : ''}</span>
      {busy && <span>ETA {fmtDuration(eta)}</span>}
      {bestEpoch !== null && (
        <span>
          best val MAE {f2(best?.valMae ?? best?.mae)} at epoch {bestEpoch}
        </span>
      )}
      {t.lastCheckpoint !== null && busy && <span className="muted">checkpoint: epoch {t.lastCheckpoint}</span>}
      {busy && <progress max={epochsTotal} value={doneEpochs + inEpoch} />}
    </div>
  );
});
