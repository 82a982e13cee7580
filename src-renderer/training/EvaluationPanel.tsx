/** The best model of a run on its validation clips (stored with the run at the end of training): scatter and totals. */
import {
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Evaluation, RunSummary } from '../../src-shared/api/training-contract';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import { C, f2 } from './chart-style';
import { ConfusionTable } from '../evaluation/ConfusionTable';

export function EvaluationPanel({ evaluation, run }: { evaluation: Evaluation; run: RunSummary }) {
  const lo = Math.min(0, ...evaluation.points.flatMap((p) => [p.label, p.predicted]));
  const hi = Math.max(100, ...evaluation.points.flatMap((p) => [p.label, p.predicted]));
  const maxCell = Math.max(1, ...evaluation.confusion.flat());
  return (
    <section className="tr-eval" data-testid="training-evaluation">
      <h3>
        {evaluation.crossValidation
          ? `Run ${run.id}: out-of-fold predictions of its ${evaluation.crossValidation.k} fold models (${evaluation.n} clips)`
          : `Best model of run ${run.id} on the validation set (${evaluation.n} clips)`}
      </h3>
      <div className="tr-eval-grid">
        <div className="tr-chart" data-chart="Validation: predicted vs label">
          <div className="tr-chart-title">Predicted vs label</div>
          <ResponsiveContainer width="100%" height={260}>
            <ScatterChart margin={{ top: 6, right: 14, bottom: 14, left: 0 }}>
              <CartesianGrid stroke={C.grid} strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="label"
                name="label"
                domain={[lo, hi]}
                interval={0}
                stroke={C.axis}
                tick={{ fontSize: 11, fill: C.axis }}
                label={{ value: 'label', position: 'insideBottom', offset: -6, fill: C.axis, fontSize: 11 }}
              />
              <YAxis
                type="number"
                dataKey="predicted"
                name="predicted"
                domain={[lo, hi]}
                interval={0}
                stroke={C.axis}
                tick={{ fontSize: 11, fill: C.axis }}
                width={40}
              />
              <Tooltip contentStyle={{ background: '#161d25', border: `1px solid ${C.grid}`, fontSize: 12 }} />
              <ReferenceLine
                segment={[
                  { x: lo, y: lo },
                  { x: hi, y: hi },
                ]}
                stroke={C.axis}
                strokeDasharray="4 4"
              />
              <Scatter data={evaluation.points} fill={C.val} isAnimationActive={false} />
            </ScatterChart>
          </ResponsiveContainer>
        </div>
        <div>
          <table className="tr-table tr-metrics">
            <tbody>
              <tr>
                <th>MAE</th>
                <td data-testid="eval-mae">{f2(evaluation.mae)}</td>
              </tr>
              <tr>
                <th>RMSE</th>
                <td>{f2(evaluation.rmse)}</td>
              </tr>
              <tr>
                <th>Spearman ρ</th>
                <td>{f2(evaluation.spearman, 3)}</td>
              </tr>
              <tr>
                <th>Exercise accuracy</th>
                <td>
                  {evaluation.exerciseAccuracy === null
                    ? 'score head only'
                    : `${(evaluation.exerciseAccuracy * 100).toFixed(1)} %`}
                </td>
              </tr>
            </tbody>
          </table>
          <table className="tr-table">
            <thead>
              <tr>
                <th>Exercise</th>
                <th>clips</th>
                <th>MAE</th>
              </tr>
            </thead>
            <tbody>
              {evaluation.perExercise.map((p) => (
                <tr key={p.exercise}>
                  <td>{EXERCISE_DISPLAY_NAMES[p.exercise]}</td>
                  <td>{p.count}</td>
                  <td>{f2(p.mae)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {evaluation.confusion.length > 0 && (
          <div>
            <div className="tr-chart-title">Confusion matrix (rows: true, columns: predicted)</div>
            <ConfusionTable
              className="tr-table tr-confusion"
              data-testid="confusion"
              corner=""
              labels={evaluation.confusionLabels.map((l) => EXERCISE_DISPLAY_NAMES[l])}
              matrix={evaluation.confusion}
              cellProps={(n, i, j) => ({
                style: {
                  background: `rgba(${i === j ? '34,197,94' : '239,68,68'},${(0.12 + 0.6 * (n / maxCell)) * (n > 0 ? 1 : 0)})`,
                },
              })}
            />
          </div>
        )}
      </div>
    </section>
  );
}
