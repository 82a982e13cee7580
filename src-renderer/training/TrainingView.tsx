/**
 * Training: the toolkit's train.py options, Start/Stop/Resume, live charts per epoch (and smoothed per batch),
 * run list with compare overlay, export of the charts as training_history.png, and the evaluation of the best model.
 * All tf work runs in train.worker.ts; this view only draws.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../app/store';
import { useTraining, type BatchPoint } from './training-store';
import { TrainingCharts } from './TrainingCharts';
import { CrossValidationPanel } from './CrossValidation';
import { copyChartsPng, exportChartsPng } from './export-charts';
import { EvaluationPanel } from './EvaluationPanel';
import { f2 } from './chart-style';
import { ModelEvaluation } from '../evaluation/ModelEvaluation';
import { DataWarnings, RunWarnings } from '../evaluation/DataWarnings';
import { TRAINING_DEFAULTS, type EpochRecord } from '../../src-shared/api/training-contract';
import { trainingDataProblem } from '../../src-shared/training/samples';
import { loadSaved, saveSettings, clearSettings, SettingsFields, type FormSettings } from './SettingsForm';
import { DataSummary } from './DataSummary';
import { RunsTable } from './RunsTable';

const NO_BATCHES: BatchPoint[] = [];
const NO_FOLDS: EpochRecord[][] = [];

function fmtDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function TrainingView() {
  const project = useApp((s) => s.project);
  const toast = useApp((s) => s.toast);
  const t = useTraining();
  const [form, setForm] = useState<FormSettings>(loadSaved);
  const chartsRef = useRef<HTMLDivElement>(null);
  const busy = t.phase !== 'idle';

  // Store actions are stable; `viewed` is read when the runs change, not a reason to re-run.
  const { loadRuns, loadData, viewRun } = t;
  useEffect(() => {
    void loadRuns();
  }, [loadRuns]);
  useEffect(() => {
    void loadData(form.numFrames);
  }, [loadData, form.numFrames, project?.counts.withKeypoints, project?.counts.labeled]);
  useEffect(() => {
    if (!busy && !useTraining.getState().viewed && t.runs.length > 0 && t.runs[0].epochs > 0)
      void viewRun(t.runs[0].id);
  }, [t.runs, busy, viewRun]);

  const set = <K extends keyof FormSettings>(k: K, v: FormSettings[K]) => {
    const next = { ...form, [k]: v };
    setForm(next);
    saveSettings(next);
  };

  const problem = t.data ? trainingDataProblem(t.data) : null;
  const resumable = t.runs.find((r) => r.resumable && (!busy || r.id !== t.runId));

  // What the charts show: the live run, else the viewed run.
  const live = busy || (t.runId !== null && t.viewed === null);
  const history = useMemo(() => (live ? t.history : (t.viewed?.metrics ?? [])), [live, t.history, t.viewed]);
  const batches = live ? t.batches : NO_BATCHES;
  const shownRun = live ? t.runs.find((r) => r.id === t.runId) : t.viewed?.run;
  const settings = live ? t.settings : (t.viewed?.run.settings ?? null);
  const bestEpoch = useMemo(() => {
    let best: EpochRecord | null = null;
    for (const m of history) if (m.improved) best = m;
    return best?.epoch ?? null;
  }, [history]);
  const cv = live ? null : (t.viewed?.evaluation?.crossValidation ?? null);
  const folds = useMemo(() => (live ? t.folds : (cv?.folds.map((f) => f.curve) ?? NO_FOLDS)), [live, t.folds, cv]);
  const maxEpoch = Math.max(
    history.length ? history[history.length - 1].epoch : 0,
    t.batchPos?.epoch ?? 0,
    t.compare?.metrics.length ?? 0,
    ...folds.map((f) => f.length),
    1,
  );

  const epochsTotal = settings?.epochs ?? form.epochs;
  const xMax = live ? Math.max(maxEpoch, Math.min(epochsTotal, maxEpoch + 2)) : maxEpoch;
  // The charts follow in a background render (see TrainingCharts): progress text and Stop stay immediate.
  const chartHistory = useDeferredValue(history);
  const chartBatches = useDeferredValue(batches);
  const chartBest = useDeferredValue(bestEpoch);
  const chartMax = useDeferredValue(xMax);
  const chartFolds = useDeferredValue(folds);
  const doneEpochs = history.length ? history[history.length - 1].epoch : 0;
  const recent = history.slice(-5);
  const secPerEpoch = recent.length ? recent.reduce((a, m) => a + m.seconds, 0) / recent.length : null;
  const inEpoch = t.batchPos && t.batchPos.epoch > doneEpochs ? t.batchPos.batch / t.batchPos.of : 0;
  const eta = busy && secPerEpoch !== null ? (epochsTotal - doneEpochs - inEpoch) * secPerEpoch : null;
  const sps = busy ? t.samplesPerSec : history.length ? history[history.length - 1].samplesPerSec : null;

  const start = (resumeRunId?: number) => {
    if (!resumeRunId && problem) {
      toast('error', problem);
      return;
    }
    void t.viewRun(null);
    t.start({ ...form, source: 'app' }, resumeRunId);
  };

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

  const c = t.data?.counts;
  return (
    <div className="training">
      <div className="cards">
        <div className="card">
          <div className="num" data-testid="training-usable">
            {c ? c.usable : '–'}
          </div>
          <div className="lbl">clips ready to train</div>
        </div>
        <div className="card">
          <div className="num">{c ? c.trainVideos : '–'}</div>
          <div className="lbl">videos in the train split</div>
        </div>
        <div className="card">
          <div className="num">{t.runs.length}</div>
          <div className="lbl">training runs</div>
        </div>
        <div className="card">
          <div
            className="num tr-backend"
            data-testid="training-backend"
            title={t.backend ? [t.backend.detail, ...t.backend.skipped].join('\n') : undefined}
          >
            {t.backend ? t.backend.name.toUpperCase() : '–'}
          </div>
          <div className="lbl">{t.backend ? t.backend.detail : 'backend (chosen when training starts)'}</div>
        </div>
      </div>

      <div className="tr-layout">
        <aside className="tr-side">
          <h3>Settings</h3>
          <SettingsFields form={form} set={set} busy={busy} />
          <div className="tr-buttons">
            {!busy ? (
              <button className="primary" data-testid="training-start" onClick={() => start()} disabled={!t.data}>
                Start training
              </button>
            ) : (
              <button
                className="danger"
                data-testid="training-stop"
                onClick={() => t.stop()}
                disabled={t.phase === 'stopping' || t.phase === 'finishing'}
              >
                {t.phase === 'stopping' ? 'Stopping…' : 'Stop'}
              </button>
            )}
            <button
              onClick={() => {
                setForm({ ...TRAINING_DEFAULTS });
                clearSettings();
              }}
              disabled={busy}
              title="The toolkit's defaults"
            >
              Defaults
            </button>
          </div>
          {resumable && !busy && (
            <div className="tr-resume" data-testid="training-resume-banner">
              Run {resumable.id} ({resumable.modelKind}) stopped at epoch {resumable.checkpointEpoch} of{' '}
              {resumable.settings.epochs}.
              <button data-testid="training-resume" onClick={() => start(resumable.id)}>
                Resume run {resumable.id}
              </button>
            </div>
          )}
          <DataSummary
            data={t.data}
            problem={problem}
            numFrames={form.numFrames}
            busy={busy}
            reload={() => void t.loadData(form.numFrames)}
          />
          {!problem && t.data && (
            <DataWarnings
              numFrames={form.numFrames}
              valFraction={form.valFraction}
              seed={form.seed}
              disabled={busy}
              dataKey={t.data}
              onChanged={() => void t.loadData(form.numFrames)}
            />
          )}
        </aside>

        <section className="tr-main">
          <div className="tr-progress">
            <span data-testid="training-epoch">
              {shownRun || t.runId ? `Run ${shownRun?.id ?? t.runId} · ` : ''}Epoch {doneEpochs} / {epochsTotal}
            </span>
            {busy && t.foldPos && (
              <span data-testid="training-fold">
                fold {t.foldPos.fold} of {t.foldPos.k} · epoch {t.folds[t.foldPos.fold - 1]?.length ?? 0}
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
                best val MAE{' '}
                {f2(
                  history.find((m) => m.epoch === bestEpoch)?.valMae ?? history.find((m) => m.epoch === bestEpoch)?.mae,
                )}{' '}
                at epoch {bestEpoch}
              </span>
            )}
            {t.lastCheckpoint !== null && busy && <span className="muted">checkpoint: epoch {t.lastCheckpoint}</span>}
            {busy && <progress max={epochsTotal} value={doneEpochs + inEpoch} />}
          </div>
          <div className="tr-status" data-testid="training-status">
            {t.status}
          </div>
          {t.error && (
            <div className="tr-problem" role="alert" data-testid="training-error">
              {t.error}
            </div>
          )}
          {!busy && t.viewed && <RunWarnings detail={t.viewed} />}
          <div className="tr-toolbar">
            <label>
              Compare with{' '}
              <select
                data-testid="training-compare"
                value={t.compare?.run.id ?? ''}
                onChange={(e) => void t.compareWith(e.target.value ? Number(e.target.value) : null)}
              >
                <option value="">—</option>
                {t.runs
                  .filter((r) => r.id !== shownRun?.id && r.epochs > 0)
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
              compare={t.compare}
              maxEpoch={chartMax}
              folds={chartFolds}
            />
          </div>
          {!busy && cv && <CrossValidationPanel cv={cv} />}
          {!busy && t.viewed?.evaluation && <EvaluationPanel evaluation={t.viewed.evaluation} run={t.viewed.run} />}
          {!busy && t.viewed && t.viewed.run.models.length > 0 && (
            <ModelEvaluation
              modelId={(t.viewed.run.models.find((m) => m.role === 'best') ?? t.viewed.run.models[0]).id}
              title={`Evaluate the best model of run ${t.viewed.run.id}`}
            />
          )}

          <RunsTable runs={t.runs} shownRunId={shownRun?.id ?? null} onView={(id) => !busy && void t.viewRun(id)} />
        </section>
      </div>
    </div>
  );
}
