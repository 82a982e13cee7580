import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../app/store';
import { api } from '../api/client';
import type { ExportReport, ModelInfo } from '../../src-shared/api/models-contract';
import { ImportModelDialog, isModelFile, MODEL_FILE_ACCEPT } from './ImportModelDialog';
import { ModelEvaluation } from '../evaluation/ModelEvaluation';
import { defaultModel } from '../../src-shared/domain/default-model';

type Weights = 'float32' | 'float16' | 'int8';

function bytes(n: number | null): string {
  if (n == null) return '—';
  if (n > 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  return `${(n / 1e3).toFixed(0)} kB`;
}

export function ModelsView() {
  const { toast, refreshProject } = useApp();
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [weights, setWeights] = useState<Weights>('float32');
  const [optimize, setOptimize] = useState(true);
  const [test, setTest] = useState(true);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ExportReport | null>(null);
  const [importing, setImporting] = useState<File | null>(null);

  const load = useCallback(async () => {
    const list = await api.call('models.list', {});
    setModels(list);
    setSelected((s) => (s !== null && list.some((m) => m.id === s) ? s : (defaultModel(list)?.id ?? null)));
  }, []);

  useEffect(() => {
    void load();
    const off = api.onEvent((e) => {
      if (e.type === 'project.changed') void load();
    });
    return off;
  }, [load]);

  const current = models?.find((m) => m.id === selected) ?? null;

  const doExport = async () => {
    if (!current) return;
    setBusy(true);
    setReport(null);
    try {
      setReport(await api.call('models.export', { modelId: current.id, weights, optimize, test }));
    } catch (err) {
      toast('error', `Export failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const pickImport = (file: File | undefined) => {
    if (!file) return;
    if (isModelFile(file.name)) setImporting(file);
    else toast('error', `${file.name}: import takes a Keras .keras / .h5 or a .tflite model`);
  };

  const doDelete = async (m: ModelInfo) => {
    if (!confirm(`Delete model "${m.name}"? Its file stays on disk.`)) return;
    await api.call('models.delete', { modelId: m.id });
    await load();
    await refreshProject();
  };

  const doRename = async (m: ModelInfo) => {
    const name = prompt('New name for this model', m.name);
    if (name === null || name.trim() === m.name) return;
    try {
      await api.call('models.rename', { modelId: m.id, name });
      await load();
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  if (models === null) return <div className="muted">Loading models…</div>;

  return (
    <div
      className="models"
      onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        pickImport(e.dataTransfer.files[0]);
      }}
    >
      {importing ? (
        <ImportModelDialog
          file={importing}
          onClose={() => setImporting(null)}
          onImported={(info) => {
            setImporting(null);
            toast('info', `Imported ${info.name}`);
            void load().then(refreshProject);
          }}
        />
      ) : null}
      <div className="toolbar">
        <label className="button-like" title="A Keras .keras / .h5 or a .tflite (or drop the file here)">
          Import model…
          <input
            type="file"
            accept={MODEL_FILE_ACCEPT}
            data-testid="import-tflite"
            style={{ display: 'none' }}
            onChange={(e) => {
              pickImport(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <span className="spacer" />
        <span className="muted">
          {models.length} model{models.length === 1 ? '' : 's'}
        </span>
      </div>
      {models.length === 0 ? (
        <div className="empty" data-testid="models-empty">
          <h2>No models yet</h2>
          <p>
            Each training run keeps its best model (by validation MAE) and its final model here. Train one in{' '}
            <b>Training</b>, or import a Keras <code>.keras</code>/<code>.h5</code> or a <code>.tflite</code> scorer
            (button or drop the file here).
          </p>
        </div>
      ) : (
        <div className="models-layout">
          <table className="table" data-testid="models-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Role</th>
                <th>Val MAE</th>
                <th>Size</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} className={m.id === selected ? 'selected' : ''} onClick={() => setSelected(m.id)}>
                  <td>{m.name}</td>
                  <td>{m.kind}</td>
                  <td>{m.role}</td>
                  <td>{m.valMae != null ? m.valMae.toFixed(2) : '—'}</td>
                  <td>{bytes(m.sizeBytes)}</td>
                  <td>{new Date(m.createdAt).toLocaleString()}</td>
                  <td>
                    <button
                      className="link"
                      data-testid={`rename-model-${m.id}`}
                      onClick={(e) => (e.stopPropagation(), void doRename(m))}
                      title="Rename"
                    >
                      ✎
                    </button>
                    <button className="link" onClick={(e) => (e.stopPropagation(), void doDelete(m))} title="Delete">
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {current ? (
            <section className="panel" data-testid="export-panel">
              <h3>Export “{current.name}” to TFLite</h3>
              {current.format === 'tflite' ? (
                <>
                  <p className="muted">This is an imported .tflite file: use it to score in Live.</p>
                  {typeof current.metrics.exerciseMask === 'string' ? (
                    <p className="muted" data-testid="model-exercise-mask">
                      {current.metrics.exerciseMask}
                    </p>
                  ) : null}
                </>
              ) : (
                <>
                  <p className="muted">
                    Builtin ops only: runs in stock TFLite / LiteRT on Android, iOS, a Raspberry Pi and in browsers.
                  </p>
                  <div className="form-row">
                    {(['float32', 'float16', 'int8'] as Weights[]).map((w) => (
                      <label key={w}>
                        <input type="radio" name="weights" checked={weights === w} onChange={() => setWeights(w)} />{' '}
                        {w === 'int8' ? 'INT8 (quantized)' : w}
                      </label>
                    ))}
                  </div>
                  <div className="form-row">
                    <label>
                      <input type="checkbox" checked={optimize} onChange={(e) => setOptimize(e.target.checked)} />{' '}
                      Optimize (fold batch norm)
                    </label>
                    <label>
                      <input type="checkbox" checked={test} onChange={(e) => setTest(e.target.checked)} /> Check against
                      the app's model
                    </label>
                  </div>
                  <button
                    className="primary"
                    disabled={busy}
                    onClick={() => void doExport()}
                    data-testid="export-button"
                  >
                    {busy ? 'Exporting…' : 'Export'}
                  </button>
                </>
              )}
              {report ? (
                <div className="report" data-testid="export-report">
                  <p>
                    <b>{bytes(report.sizeBytes)}</b> · {report.weights}
                    {report.optimize ? ' · optimized' : ''} ·{' '}
                    {report.url ? (
                      <a href={report.url} download>
                        Download
                      </a>
                    ) : null}{' '}
                    <span className="muted">{report.path}</span>
                  </p>
                  {report.check ? (
                    <dl className="kv">
                      <dt>Builtin ops only</dt>
                      <dd data-testid="check-builtin">{report.check.builtinOnly ? 'yes' : 'NO'}</dd>
                      <dt>Score difference</dt>
                      <dd data-testid="check-diff">
                        max {report.check.maxAbsScoreDiff.toFixed(4)} · mean {report.check.meanAbsScoreDiff.toFixed(4)}{' '}
                        points
                      </dd>
                      <dt>Same exercise</dt>
                      <dd>
                        {report.check.exerciseAgreement != null
                          ? `${(report.check.exerciseAgreement * 100).toFixed(1)} %`
                          : 'no exercise head'}
                      </dd>
                      <dt>Samples</dt>
                      <dd>
                        {report.check.samples} (
                        {report.check.source === 'project'
                          ? "the project's keypoints"
                          : 'synthetic: the project has no keypoints yet'}
                        )
                      </dd>
                      <dt>Ops</dt>
                      <dd className="muted">{report.check.ops.join(', ')}</dd>
                    </dl>
                  ) : null}
                </div>
              ) : null}
            </section>
          ) : null}
          {current ? <TrainedOn model={current} /> : null}
          {current ? <ModelEvaluation modelId={current.id} title={`Evaluate “${current.name}”`} /> : null}
        </div>
      )}
    </div>
  );
}

/** Which data a trained model saw: split sizes and labeled clips per exercise (stored with the model). */
function TrainedOn({ model }: { model: ModelInfo }) {
  const d = model.metrics.data as
    { train?: number; val?: number; perExercise?: Record<string, number>; variant?: string } | undefined;
  if (!d) return null;
  return (
    <p className="muted" data-testid="model-trained-on">
      Trained on {d.train ?? '?'} clips, validated on {d.val ?? '?'}
      {d.perExercise
        ? ` · ${Object.entries(d.perExercise)
            .map(([e, n]) => `${e} ${n}`)
            .join(', ')}`
        : ''}
      {d.variant ? ` · ${d.variant} pose model` : ''}
    </p>
  );
}
