/**
 * Training: the toolkit's train.py options, Start/Stop/Resume, live charts per epoch (and smoothed per batch),
 * run list with compare overlay, export of the charts as training_history.png, and the evaluation of the best model.
 * All tf work runs in train.worker.ts; this view only draws.
 */
import { memo, useCallback, useDeferredValue, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../app/store';
import { useTraining } from './training-store';
import { CrossValidationPanel } from './CrossValidation';
import { EvaluationPanel } from './EvaluationPanel';
import { ModelEvaluation } from '../evaluation/ModelEvaluation';
import { DataWarnings as DataWarningsView, RunWarnings } from '../evaluation/DataWarnings';
import { TRAINING_DEFAULTS, type RunDetail } from '../../src-shared/api/training-contract';
import { trainingDataProblem } from '../../src-shared/training/samples';
import { loadSaved, saveSettings, clearSettings, SettingsFields as Fields, type FormSettings } from './SettingsForm';
import { DataSummary as DataSummaryView } from './DataSummary';
import { RunsTable as RunsTableView } from './RunsTable';
import { LiveProgress } from './LiveProgress';
import { ChartsPanel } from './ChartsPanel';
import { Later } from './later';

/**
 * What a finished run shows under the charts; mounted in a background render after the run's charts, one panel per
 * task (each has a recharts chart or a big table; together they blocked the page for a long task at a run's end).
 */
const RunPanels = memo(function RunPanels({ viewed }: { viewed: RunDetail }) {
  const cv = viewed.evaluation?.crossValidation ?? null;
  return (
    <>
      {cv && <CrossValidationPanel cv={cv} />}
      <Later delay={PANEL_MS}>
        {viewed.evaluation && <EvaluationPanel evaluation={viewed.evaluation} run={viewed.run} />}
      </Later>
      <Later delay={2 * PANEL_MS}>
        {viewed.run.models.length > 0 && (
          <ModelEvaluation
            modelId={(viewed.run.models.find((m) => m.role === 'best') ?? viewed.run.models[0]).id}
            title={`Evaluate the best model of run ${viewed.run.id}`}
          />
        )}
      </Later>
    </>
  );
});
const PANEL_MS = 60;

const NO_METRICS: RunDetail['metrics'] = [];
// Settings, data summary and runs table re-render only when their own props change.
const SettingsFields = memo(Fields);
const DataSummary = memo(DataSummaryView);
const RunsTable = memo(RunsTableView);
const DataWarnings = memo(DataWarningsView);

export function TrainingView() {
  const project = useApp((s) => s.project);
  const toast = useApp((s) => s.toast);
  // Only what changes per run or per message, never per batch or epoch (LiveProgress and ChartsPanel take those).
  const t = useTraining(
    useShallow((s) => ({
      phase: s.phase,
      status: s.status,
      error: s.error,
      backend: s.backend,
      runId: s.runId,
      settings: s.settings,
      data: s.data,
      runs: s.runs,
      viewed: s.viewed,
      loadRuns: s.loadRuns,
      loadData: s.loadData,
      viewRun: s.viewRun,
      start: s.start,
      stop: s.stop,
    })),
  );
  const [form, setForm] = useState<FormSettings>(loadSaved);
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

  const set = useCallback(<K extends keyof FormSettings>(k: K, v: FormSettings[K]) => {
    setForm((prev) => {
      const next = { ...prev, [k]: v };
      saveSettings(next);
      return next;
    });
  }, []);
  const reload = useCallback(() => void loadData(form.numFrames), [loadData, form.numFrames]);
  const onView = useCallback((id: number) => !busy && void viewRun(id), [busy, viewRun]);

  const problem = t.data ? trainingDataProblem(t.data) : null;
  const resumable = t.runs.find((r) => r.resumable && (!busy || r.id !== t.runId));

  // What the charts show: the live run, else the viewed run.
  const live = busy || (t.runId !== null && t.viewed === null);
  const shownRun = live ? t.runs.find((r) => r.id === t.runId) : t.viewed?.run;
  const shownRunId = shownRun?.id ?? t.runId;
  const settings = live ? t.settings : (t.viewed?.run.settings ?? null);
  const epochsTotal = settings?.epochs ?? form.epochs;
  // The evaluation, cross-validation and model panels mount after the charts, in a render React can interrupt.
  const panelsFor = useDeferredValue(busy ? null : t.viewed);

  const start = (resumeRunId?: number) => {
    if (!resumeRunId && problem) {
      toast('error', problem);
      return;
    }
    void t.viewRun(null);
    t.start({ ...form, source: 'app' }, resumeRunId);
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
          <DataSummary data={t.data} problem={problem} numFrames={form.numFrames} busy={busy} reload={reload} />
          {!problem && t.data && (
            <DataWarnings
              numFrames={form.numFrames}
              valFraction={form.valFraction}
              seed={form.seed}
              disabled={busy}
              dataKey={t.data}
              onChanged={reload}
            />
          )}
        </aside>

        <section className="tr-main">
          <LiveProgress
            live={live}
            busy={busy}
            shownRunId={shownRunId}
            viewedHistory={t.viewed?.metrics ?? NO_METRICS}
            epochsTotal={epochsTotal}
          />
          <div className="tr-status" data-testid="training-status">
            {t.status}
          </div>
          {t.error && (
            <div className="tr-problem" role="alert" data-testid="training-error">
              {t.error}
            </div>
          )}
          {!busy && t.viewed && <RunWarnings detail={t.viewed} />}
          <ChartsPanel
            live={live}
            viewed={t.viewed}
            runs={t.runs}
            shownRunId={shownRun?.id ?? null}
            epochsTotal={epochsTotal}
          />
          {panelsFor && <RunPanels viewed={panelsFor} />}

          <RunsTable runs={t.runs} shownRunId={shownRun?.id ?? null} onView={onView} />
        </section>
      </div>
    </div>
  );
}
