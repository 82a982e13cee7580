/**
 * Training: the toolkit's train.py options, Start/Stop/Resume, live charts per epoch (and smoothed per batch),
 * run list with compare overlay, export of the charts as training_history.png, and the evaluation of the best model.
 * All tf work runs in train.worker.ts; this view only draws.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useExtraction } from '../pose/extraction-store';
import { useApp } from '../app/store';
import { useTraining, type BatchPoint } from './training-store';
import { TrainingCharts } from './TrainingCharts';
import { CrossValidationPanel, KFoldOption } from './CrossValidation';
import { copyChartsPng, exportChartsPng } from './export-charts';
import { EvaluationPanel } from './EvaluationPanel';
import { f2 } from './chart-style';
import { ModelEvaluation } from '../evaluation/ModelEvaluation';
import { DataWarnings, RunWarnings } from '../evaluation/DataWarnings';
import { TRAINING_DEFAULTS, type EpochRecord } from '../../src-shared/api/training-contract';
import { trainingDataProblem } from '../../src-shared/training/samples';
import { type SessionSettings } from '../../src-shared/training/session';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';

const SETTINGS_KEY = 'training.settings';
const NO_BATCHES: BatchPoint[] = [];
const NO_FOLDS: EpochRecord[][] = [];
type FormSettings = Omit<SessionSettings, 'source' | 'variant'>;

function fmtDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Local date and time without Intl (its first use loads locale data: hundreds of ms on the page's thread). */
function startedText(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return Number.isNaN(d.getTime())
    ? iso
    : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function loadSaved(): FormSettings {
  const base: FormSettings = { ...TRAINING_DEFAULTS };
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<FormSettings> | null;
    return s ? { ...base, ...s } : base;
  } catch {
    return base;
  }
}

function NumberField(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  step?: number;
  min?: number;
  max?: number;
  testId: string;
  hint?: string;
  disabled?: boolean;
}) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const n = Number(text);
  const bad =
    text.trim() === '' ||
    !Number.isFinite(n) ||
    (props.min !== undefined && n < props.min) ||
    (props.max !== undefined && n > props.max);
  return (
    <label className="tr-field" title={props.hint}>
      <span>{props.label}</span>
      <input
        data-testid={props.testId}
        className={bad ? 'invalid' : ''}
        value={text}
        disabled={props.disabled}
        inputMode="decimal"
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

export function TrainingView() {
  const project = useApp((s) => s.project);
  const toast = useApp((s) => s.toast);
  const t = useTraining();
  const [form, setForm] = useState<FormSettings>(loadSaved);
  const chartsRef = useRef<HTMLDivElement>(null);
  const busy = t.phase !== 'idle';
  const extraction = useExtraction();

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
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
  };

  const problem = t.data ? trainingDataProblem(t.data) : null;
  const singleExercise = t.data && t.data.exerciseTypes.length === 1;
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
          <label className="tr-field">
            <span>Model</span>
            <select
              data-testid="opt-model"
              value={form.modelKind}
              disabled={busy}
              onChange={(e) => set('modelKind', e.target.value as FormSettings['modelKind'])}
            >
              <option value="high-accuracy">High accuracy (BiLSTM 512→256 + attention)</option>
              <option value="standard">Standard (BiLSTM 256, faster)</option>
            </select>
          </label>
          <NumberField
            label="Epochs"
            testId="opt-epochs"
            value={form.epochs}
            min={1}
            max={10000}
            disabled={busy}
            onChange={(v) => set('epochs', Math.round(v))}
          />
          <NumberField
            label="Batch size"
            testId="opt-batch"
            value={form.batchSize}
            min={1}
            max={1024}
            disabled={busy}
            onChange={(v) => set('batchSize', Math.round(v))}
          />
          <NumberField
            label="Learning rate"
            testId="opt-lr"
            value={form.learningRate}
            min={1e-8}
            max={1}
            disabled={busy}
            onChange={(v) => set('learningRate', v)}
          />
          <NumberField
            label="Early-stopping patience"
            testId="opt-patience"
            value={form.patience}
            min={1}
            disabled={busy}
            onChange={(v) => set('patience', Math.round(v))}
            hint="Epochs without a better validation MAE before stopping"
          />
          <NumberField
            label="Frames per video"
            testId="opt-frames"
            value={form.numFrames}
            min={2}
            max={256}
            disabled={busy}
            onChange={(v) => set('numFrames', Math.round(v))}
            hint="Keypoints must be extracted for this frame count"
          />
          <NumberField
            label="Validation share"
            testId="opt-val"
            value={form.valFraction}
            min={0}
            max={0.5}
            disabled={busy}
            onChange={(v) => set('valFraction', v)}
            hint="Whole groups (athlete / source clip) go to validation"
          />
          <NumberField
            label="Seed"
            testId="opt-seed"
            value={form.seed}
            min={0}
            disabled={busy}
            onChange={(v) => set('seed', Math.round(v))}
          />
          <label className="tr-check">
            <input
              type="checkbox"
              data-testid="opt-augment"
              checked={form.augment}
              disabled={busy}
              onChange={(e) => set('augment', e.target.checked)}
            />{' '}
            Augmentation (mirror, rotate, scale, time-warp)
          </label>
          <KFoldOption kFold={form.kFold} disabled={busy} onChange={(k) => set('kFold', k)} />
          <label className="tr-check">
            <input
              type="checkbox"
              data-testid="opt-keep-final"
              checked={!!form.keepFinal}
              disabled={busy}
              onChange={(e) => set('keepFinal', e.target.checked)}
            />{' '}
            Keep the final model too (default: the best only)
          </label>
          <label className="tr-check">
            <input
              type="checkbox"
              data-testid="opt-cpu"
              checked={form.cpuOnly}
              disabled={busy}
              onChange={(e) => set('cpuOnly', e.target.checked)}
            />{' '}
            CPU only (WASM / CPU backends)
          </label>
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
                localStorage.removeItem(SETTINGS_KEY);
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
          <div className="tr-data" data-testid="training-data">
            {problem ? (
              <div className="tr-problem" role="alert" data-testid="training-empty">
                {problem}
              </div>
            ) : t.data ? (
              <>
                <p>
                  {t.data.counts.usable} labeled clips with keypoints ({t.data.numFrames} frames, {t.data.variant} pose
                  model)
                  {t.data.exerciseTypes.length > 0 && (
                    <> · {t.data.exerciseTypes.map((e) => EXERCISE_DISPLAY_NAMES[e]).join(', ')}</>
                  )}
                </p>
                {singleExercise && (
                  <p className="tr-note" data-testid="training-single-exercise">
                    One exercise type in the data: the model gets the score head only (no exercise classification).
                  </p>
                )}
              </>
            ) : null}
            {c && c.usable < c.trainVideos && (
              <p className="muted">
                Left out:{' '}
                {[
                  c.unlabeled && `${c.unlabeled} unlabeled`,
                  c.noKeypoints && `${c.noKeypoints} without keypoints`,
                  c.noPose && `${c.noPose} with no pose`,
                  c.extractionFailed && `${c.extractionFailed} extraction failed`,
                  c.importFailed && `${c.importFailed} import failed`,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </p>
            )}
            {c && c.noKeypoints > 0 ? (
              <button
                disabled={extraction.running || busy}
                onClick={() =>
                  void extraction.start({ numFrames: form.numFrames }).then(() => t.loadData(form.numFrames))
                }
                data-testid="training-extract"
              >
                {extraction.running
                  ? `Extracting keypoints ${extraction.progress ? `${extraction.progress.done}/${extraction.progress.total}` : '…'}`
                  : `Extract keypoints (${c.noKeypoints} videos)`}
              </button>
            ) : null}
          </div>
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

          <h3>Runs</h3>
          <table className="tr-table tr-runs" data-testid="training-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Model</th>
                <th>Status</th>
                <th>Epochs</th>
                <th>Best val MAE</th>
                <th>Backend</th>
                <th>Settings</th>
                <th>Models</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {t.runs.map((r) => (
                <tr
                  key={r.id}
                  className={shownRun?.id === r.id ? 'selected' : ''}
                  onClick={() => !busy && void t.viewRun(r.id)}
                  data-testid={`run-row-${r.id}`}
                >
                  <td>{r.id}</td>
                  <td>{r.modelKind}</td>
                  <td className={`st-${r.status}`}>
                    {r.status}
                    {r.resumable ? ' (resumable)' : ''}
                  </td>
                  <td>
                    {r.epochs}/{r.settings.epochs}
                  </td>
                  <td>
                    {f2(r.bestValMae)}
                    {r.bestEpoch ? ` @${r.bestEpoch}` : ''}
                  </td>
                  <td>{r.backend ?? '–'}</td>
                  <td className="muted">
                    b{r.settings.batchSize} · lr {r.settings.learningRate} · p{r.settings.patience} ·{' '}
                    {r.settings.numFrames}f · val {Math.round(r.settings.valFraction * 100)}%
                    {r.settings.augment ? ' · aug' : ''}
                    {r.settings.exerciseHead ? '' : ' · score only'} · {r.settings.source}
                  </td>
                  <td>{r.models.map((m) => m.role).join(', ') || '–'}</td>
                  <td className="muted">{startedText(r.startedAt)}</td>
                </tr>
              ))}
              {t.runs.length === 0 && (
                <tr>
                  <td colSpan={9} className="muted">
                    No runs yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
