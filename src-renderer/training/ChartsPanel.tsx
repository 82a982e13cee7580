/**
 * The charts with their toolbar (compare, export, copy). Subscribes to the live curves itself, so only this panel
 * and the progress line re-render while a run streams metrics; chart data follows at most every CHART_MS (and in a
 * transition), since each recharts update re-renders synchronously through its own store.
 */
import { memo, useDeferredValue, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../app/store';
import { useTraining, type BatchPoint } from './training-store';
import { TrainingCharts } from './TrainingCharts';
import { copyChartsPng, exportChartsPng } from './export-charts';
import { bestEpochOf } from './LiveProgress';
import { useThrottled } from './use-throttled';
import { thin } from './thin';
import { f2 } from './chart-style';
import type { EpochRecord, RunDetail, RunSummary } from '../../src-shared/api/training-contract';

const NO_BATCHES: BatchPoint[] = [];
const NO_EPOCHS: EpochRecord[] = [];
const NO_FOLDS: EpochRecord[][] = [];
const CHART_MS = 1000;
// A 210 px high, ~450 px wide chart shows no more detail than this; recharts' work grows with the points.
const MAX_BATCH_POINTS = 300;

export const ChartsPanel = memo(function ChartsPanel(props: {
  live: boolean;
  viewed: RunDetail | null;
  runs: RunSummary[];
  shownRunId: number | null;
  epochsTotal: number;
}) {
  const { live, viewed, runs, shownRunId, epochsTotal } = props;
  const toast = useApp((s) => s.toast);
  const chartsRef = useRef<HTMLDivElement>(null);
  const s = useTraining(
    useShallow((st) => ({
      history: live ? st.history : NO_EPOCHS,
      batches: live ? st.batches : NO_BATCHES,
      folds: live ? st.folds : NO_FOLDS,
      batchEpoch: live ? (st.batchPos?.epoch ?? 0) : 0,
      compare: st.compare,
      compareWith: st.compareWith,
    })),
  );
  const cv = live ? null : (viewed?.evaluation?.crossValidation ?? null);
  const viewedFolds = useMemo(() => cv?.folds.map((f) => f.curve) ?? NO_FOLDS, [cv]);
  const history = live ? s.history : (viewed?.metrics ?? NO_EPOCHS);
  const folds = live ? s.folds : viewedFolds;
  const bestEpoch = useMemo(() => bestEpochOf(history), [history]);
  const maxEpoch = Math.max(
    history.length ? history[history.length - 1].epoch : 0,
    s.batchEpoch,
    s.compare?.metrics.length ?? 0,
    ...folds.map((f) => f.length),
    1,
  );
  const xMax = live ? Math.max(maxEpoch, Math.min(epochsTotal, maxEpoch + 2)) : maxEpoch;
  // Batches arrive every 0.5 s; the charts take them at most once a second, in a background render.
  const throttled = useThrottled(s.batches, CHART_MS);
  const chartBatches = useDeferredValue(useMemo(() => thin(throttled, MAX_BATCH_POINTS), [throttled]));
  const chartHistory = useDeferredValue(history);
  const chartBest = useDeferredValue(bestEpoch);
  const chartMax = useDeferredValue(xMax);
  const chartFolds = useDeferredValue(useThrottled(folds, CHART_MS));

  const exportPng = async () => {
    try {
      if (chartsRef.current) await exportChartsPng(chartsRef.current);
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  const copyPng = async () => {
    try {
      if (chartsRef.current) await copyChartsPng(chartsRef.current);
      toast('info', 'Charts copied as an image');
    } catch (err) {
      toast('error', `Copy failed: ${(err as Error).message}`);
    }
  };
  return (
    <>
      <div className="tr-toolbar">
        <label>
          Compare with{' '}
          <select
            data-testid="training-compare"
            value={s.compare?.run.id ?? ''}
            onChange={(e) => void s.compareWith(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">—</option>
            {runs
              .filter((r) => r.id !== shownRunId && r.epochs > 0)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  Run {r.id} ({r.modelKind}, best {f2(r.bestValMae)})
                </option>
              ))}
          </select>
        </label>
        <button data-testid="training-export" onClick={() => void exportPng()} disabled={history.length === 0}>
          Export charts as training_history.png
        </button>
        <button data-testid="training-copy" onClick={() => void copyPng()} disabled={history.length === 0}>
          Copy as image
        </button>
      </div>
      <div className="tr-charts" ref={chartsRef} data-testid="training-charts">
        <TrainingCharts
          history={chartHistory}
          batches={chartBatches}
          bestEpoch={chartBest}
          compare={s.compare}
          maxEpoch={chartMax}
          folds={chartFolds}
        />
      </div>
    </>
  );
});
