/**
 * The Training view's five live charts (loss, MAE, RMSE, exercise accuracy, learning rate). Memoized, fed
 * deferred values and updated one chart per task (StaggeredChart), so the page never blocks on recharts for
 * long while a run streams metrics. The charts and their lines are mounted once, empty, with the view (a chart's
 * first drawing is the costliest: recharts registers every axis, line and legend in its store), so neither Start
 * nor a run's first epoch mounts them.
 */
import { memo, startTransition, useEffect, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BatchPoint } from './training-store';
import { C } from './chart-style';
import { FOLD_COLORS } from './CrossValidation';
import type { EpochRecord, RunDetail } from '../../src-shared/api/training-contract';

interface ChartSpec {
  title: string;
  key: 'loss' | 'mae' | 'rmse' | 'acc' | 'lr';
  train: (m: EpochRecord) => number | undefined;
  val?: (m: EpochRecord) => number | undefined;
  batch?: keyof Omit<BatchPoint, 'x'>;
  log?: boolean;
}
const CHARTS: ChartSpec[] = [
  { title: 'Loss', key: 'loss', train: (m) => m.loss, val: (m) => m.valLoss, batch: 'loss' },
  { title: 'MAE (score points)', key: 'mae', train: (m) => m.mae, val: (m) => m.valMae, batch: 'mae' },
  { title: 'RMSE (score points)', key: 'rmse', train: (m) => m.rmse, val: (m) => m.valRmse },
  { title: 'Exercise accuracy', key: 'acc', train: (m) => m.exerciseAcc, val: (m) => m.valExerciseAcc },
  { title: 'Learning rate', key: 'lr', train: (m) => m.lr, log: true },
];

// Props recharts 3 copies into its store: the same objects every render, so a re-render with new data does not
// also re-register the axes, grid and tooltip (each registration is another synchronous store update).
const MARGIN = { top: 6, right: 14, bottom: 2, left: 0 };
const TICK = { fontSize: 11, fill: C.axis };
const TOOLTIP_STYLE = { background: '#161d25', border: `1px solid ${C.grid}`, fontSize: 12 };
const LEGEND_STYLE = { fontSize: 11 };
const AUTO: ['auto', 'auto'] = ['auto', 'auto'];
const UNIT: [number, number] = [0, 1];
const epochLabel = (x: unknown) => `epoch ${Number(x).toFixed(Number.isInteger(Number(x)) ? 0 : 2)}`;
const linTick = (v: number) => (Math.abs(v) < 1 ? v.toFixed(2) : v.toFixed(1));
const logTick = (v: number) => v.toExponential(0);
const linValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
const logValue = (v: unknown) => (typeof v === 'number' ? v.toExponential(2) : String(v));

const MetricChart = memo(function MetricChart(
  props: Omit<ChartsProps, 'batches'> & { spec: ChartSpec; batches: BatchPoint[] },
) {
  const { spec, history, batches, bestEpoch, compare, folds } = props;
  const data = useMemo(
    () => history.map((m) => ({ x: m.epoch, train: spec.train(m), val: spec.val?.(m) })),
    [history, spec],
  );
  const cmp = useMemo(
    () => (compare ? compare.metrics.map((m) => ({ x: m.epoch, cmp: spec.val?.(m) ?? spec.train(m) })) : null),
    [compare, spec],
  );
  const hasVal = data.some((d) => d.val !== undefined);
  const batchData = useMemo(
    () => (spec.batch ? batches.map((b) => ({ x: b.x, batch: b[spec.batch!] })) : []),
    [batches, spec],
  );
  // k-fold: each fold's held-out curve (validation metric) over the final model's training curve.
  const foldData = useMemo(
    () =>
      spec.val
        ? folds.map((curve) =>
            curve.map((m) => ({ x: m.epoch, fold: spec.val!(m) })).filter((d) => d.fold !== undefined),
          )
        : [],
    [folds, spec],
  );
  const empty =
    data.every((d) => d.train === undefined) && batchData.length === 0 && foldData.every((f) => f.length === 0);
  const xDomain = useMemo(() => [0, Math.max(1, props.maxEpoch)], [props.maxEpoch]);
  const bestLabel = useMemo(
    () => ({ value: `best ${bestEpoch}`, fill: C.best, fontSize: 11, position: 'insideTopRight' as const }),
    [bestEpoch],
  );
  const dots = data.length < 20;
  // Lines stay mounted from the empty chart on (a new line registers in recharts' store: one more synchronous
  // re-render); a run without validation drops its validation line once its first epoch shows it has none.
  const showBatch = batchData.length > 0 || (!!spec.batch && data.length === 0);
  const showVal = hasVal || (!!spec.val && data.length === 0);
  return (
    <div className="tr-chart" data-chart={spec.title} data-empty={empty || undefined} data-testid={`chart-${spec.key}`}>
      <div className="tr-chart-title">{spec.title}</div>
      {/* The chart stays mounted while empty (an overlay says so): mounting a recharts chart is the costliest drawing
          there is, and it must not happen when a run starts or its first epoch arrives. */}
      {empty && (
        <div className="tr-chart-empty">
          {spec.key === 'acc' && history.length > 0 ? 'Single exercise type: no exercise head' : 'No epochs yet'}
        </div>
      )}
      <ResponsiveContainer width="100%" height={210}>
        <LineChart margin={MARGIN}>
          <CartesianGrid stroke={C.grid} strokeDasharray="3 3" />
          {/* interval 0: every tick is drawn, so recharts does not measure tick labels in the DOM (a forced layout
              per axis and per grid on each update) to thin them out; there are 5–6 ticks at most. */}
          <XAxis
            dataKey="x"
            type="number"
            domain={xDomain}
            allowDecimals={false}
            interval={0}
            stroke={C.axis}
            tick={TICK}
          />
          <YAxis
            stroke={C.axis}
            tick={TICK}
            width={54}
            interval={0}
            scale={spec.log ? 'log' : 'auto'}
            domain={spec.key === 'acc' ? UNIT : AUTO}
            tickFormatter={spec.log ? logTick : linTick}
          />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            labelFormatter={epochLabel}
            formatter={spec.log ? logValue : linValue}
          />
          <Legend wrapperStyle={LEGEND_STYLE} />
          {showBatch && (
            <Line
              data={batchData}
              dataKey="batch"
              name="per batch (smoothed)"
              stroke={C.batch}
              strokeOpacity={0.5}
              dot={false}
              isAnimationActive={false}
              strokeWidth={1}
            />
          )}
          <Line
            data={data}
            dataKey="train"
            name="train"
            stroke={C.train}
            dot={dots}
            isAnimationActive={false}
            strokeWidth={2}
            connectNulls
          />
          {showVal && (
            <Line
              data={data}
              dataKey="val"
              name="validation"
              stroke={C.val}
              dot={dots}
              isAnimationActive={false}
              strokeWidth={2}
              connectNulls
            />
          )}
          {foldData.map(
            (f, i) =>
              f.length > 0 && (
                <Line
                  key={`fold${i}`}
                  data={f}
                  dataKey="fold"
                  name={`fold ${i + 1} held out`}
                  stroke={FOLD_COLORS[i % FOLD_COLORS.length]}
                  strokeOpacity={0.8}
                  dot={false}
                  isAnimationActive={false}
                  strokeWidth={1.25}
                  connectNulls
                />
              ),
          )}
          {cmp && (
            <Line
              data={cmp}
              dataKey="cmp"
              name={`run ${compare!.run.id}${spec.val ? ' validation' : ''}`}
              stroke={C.compare}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
              strokeWidth={2}
              connectNulls
            />
          )}
          {bestEpoch !== null && (
            <ReferenceLine x={bestEpoch} stroke={C.best} strokeDasharray="4 3" label={bestLabel} />
          )}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export interface ChartsProps {
  history: EpochRecord[];
  batches: BatchPoint[];
  bestEpoch: number | null;
  compare: RunDetail | null;
  maxEpoch: number;
  /** k-fold: each fold's epoch records (empty otherwise). */
  folds: EpochRecord[][];
}

const NO_BATCHES: BatchPoint[] = [];
const NO_FOLDS: EpochRecord[][] = [];
const STAGGER_MS = 100;

/**
 * One chart that takes new props in its own task, `delay` ms after they change: recharts 3 re-renders
 * synchronously inside a commit (its store updates cascade), so five charts in one commit would block the page
 * five times as long as one.
 */
function StaggeredChart(props: ChartsProps & { spec: ChartSpec; delay: number }) {
  const { spec, delay, history, bestEpoch, compare, maxEpoch } = props;
  const batches = spec.batch ? props.batches : NO_BATCHES;
  const folds = spec.val ? props.folds : NO_FOLDS;
  const [shown, setShown] = useState({ history, batches, bestEpoch, compare, maxEpoch, folds });
  useEffect(() => {
    // In a transition: React renders the chart in 5 ms slices; only recharts' own store cascade stays synchronous.
    const t = setTimeout(
      () => startTransition(() => setShown({ history, batches, bestEpoch, compare, maxEpoch, folds })),
      delay,
    );
    return () => clearTimeout(t);
  }, [history, batches, bestEpoch, compare, maxEpoch, folds, delay]);
  return <MetricChart spec={spec} {...shown} />;
}

export const TrainingCharts = memo(function TrainingCharts(props: ChartsProps) {
  return (
    <>
      {CHARTS.map((spec, i) => (
        <StaggeredChart key={spec.key} spec={spec} delay={i * STAGGER_MS} {...props} />
      ))}
    </>
  );
});
