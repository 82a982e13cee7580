/**
 * Evaluate a model on a split (the `evaluation.run` call: the same numbers as `form-studio evaluate`): headline,
 * model vs baselines with 95 % intervals, per-exercise MAE, confusion matrix, and the per-video table — click a
 * row to preview the clip with its pose. Used by the Training view (best model of the shown run) and Models.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApp } from '../app/store';
import { PreviewPane, apiKeypoints } from '../library/PreviewPane';
import { ConfusionTable } from './ConfusionTable';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import { METHOD_HEADER, methodRow, type EvalSplit, type EvaluationReport } from '../../src-shared/evaluation';

const SPLIT_NAMES: Record<EvalSplit, string> = {
  test: 'Test split',
  val: 'Validation clips of its run',
  train: 'Training split (seen in training)',
};
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

export function ModelEvaluation({ modelId, title }: { modelId: number | null; title?: string }) {
  const [split, setSplit] = useState<EvalSplit>('test');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<EvaluationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [previewId, setPreviewId] = useState<number | null>(null);
  const rows = useApp((s) => s.rows);

  useEffect(() => {
    setReport(null);
    setError(null);
    setPreviewId(null);
  }, [modelId]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.call('evaluation.run', { modelId: modelId ?? undefined, split }));
    } catch (err) {
      setReport(null);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const previewRow = previewId === null ? null : (rows.find((r) => r.id === previewId) ?? null);
  const sorted = report ? [...report.rows].sort((a, b) => b.absError - a.absError) : [];

  return (
    <section className="tr-eval" data-testid="model-evaluation">
      <div className="tr-toolbar">
        <h3>{title ?? 'Evaluate'}</h3>
        <select
          data-testid="eval-split"
          value={split}
          onChange={(e) => setSplit(e.target.value as EvalSplit)}
          disabled={busy}
        >
          {(Object.keys(SPLIT_NAMES) as EvalSplit[]).map((s) => (
            <option key={s} value={s}>
              {SPLIT_NAMES[s]}
            </option>
          ))}
        </select>
        <button data-testid="eval-run" onClick={() => void run()} disabled={busy}>
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
      </div>
      {error && (
        <div className="tr-problem" role="alert" data-testid="eval-error">
          {error}
        </div>
      )}
      {report && (
        <>
          <p className="eval-headline" data-testid="eval-headline">
            <b>{report.headline}</b>
          </p>
          {report.notes.map((n) => (
            <p key={n} className="tr-note">
              {n}
            </p>
          ))}
          <table className="tr-table" data-testid="eval-methods">
            <thead>
              <tr>
                {METHOD_HEADER.map((h, i) => (
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.methods.map((m) => (
                <tr key={m.key} data-testid={`eval-method-${m.key}`}>
                  {methodRow(m).map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="tr-eval-grid">
            <div className="tr-eval-tables">
              <div className="tr-scroll">
                <table className="tr-table" data-testid="eval-rows">
                  <thead>
                    <tr>
                      <th>Video</th>
                      <th>Label</th>
                      <th>Score</th>
                      <th>|error|</th>
                      <th>Exercise</th>
                      {report.confusionLabels.length > 0 && <th>Predicted</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((r) => (
                      <tr
                        key={r.videoId}
                        className={r.videoId === previewId ? 'selected' : ''}
                        onClick={() => setPreviewId(r.videoId)}
                        data-testid={`eval-row-${r.videoId}`}
                        style={{ cursor: 'pointer' }}
                      >
                        <td title={r.relPath}>{r.relPath.split('/').pop()}</td>
                        <td>{f1(r.label)}</td>
                        <td>{f1(r.predicted)}</td>
                        <td>{f1(r.absError)}</td>
                        <td>{EXERCISE_DISPLAY_NAMES[r.exercise]}</td>
                        {report.confusionLabels.length > 0 && (
                          <td className={r.correct ? '' : 'st-failed'}>
                            {r.predictedExercise ? EXERCISE_DISPLAY_NAMES[r.predictedExercise] : '–'}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="tr-scroll">
                {report.methods[0].perExercise.length > 1 && (
                  <table className="tr-table">
                    <thead>
                      <tr>
                        <th>Exercise</th>
                        <th>n</th>
                        {report.methods.map((m) => (
                          <th key={m.key}>
                            {m.key === 'model' ? 'Model' : m.key === 'train-mean' ? 'Mean' : 'Ex. mean'}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {report.methods[0].perExercise.map((p, i) => (
                        <tr key={p.exercise}>
                          <td>{EXERCISE_DISPLAY_NAMES[p.exercise]}</td>
                          <td>{p.count}</td>
                          {report.methods.map((m) => (
                            <td key={m.key}>{m.perExercise[i].mae.toFixed(2)}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {report.confusion.length > 0 && (
                  <ConfusionTable
                    className="tr-table"
                    data-testid="eval-confusion"
                    labels={report.confusionLabels.map((l) => EXERCISE_DISPLAY_NAMES[l])}
                    matrix={report.confusion}
                  />
                )}
                <p className="muted">
                  {report.n} videos · baselines from {report.trainCount} training labels · {report.bootstrap.resamples}{' '}
                  bootstrap resamples (seed {report.bootstrap.seed})
                </p>
              </div>
            </div>
            <div data-testid="eval-preview">
              {previewRow ? (
                <PreviewPane
                  row={previewRow}
                  loadKeypoints={apiKeypoints}
                  onScore={() => undefined}
                  onNextUnlabeled={() => undefined}
                />
              ) : (
                <p className="muted">Click a video to preview it with its pose.</p>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
