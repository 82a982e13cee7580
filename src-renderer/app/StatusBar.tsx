/**
 * The status bar: project counts and every running job — main-process jobs (import, …), keypoint
 * extraction (with its ETA) and training (with its epoch and Stop), each with progress and a way to
 * stop it. Finished summaries are shown in full on hover.
 */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from './store';
import { api } from '../api/client';
import { useExtraction } from '../pose/extraction-store';
import { useTraining } from '../training/training-store';
import { formatEta, formatSecondsLeft } from './eta';
import { trainingSecondsLeft } from '../training/eta';

function TrainingJob() {
  // Only what the job line shows: not the curves, so a batch or epoch re-renders this line only when its text moves.
  const t = useTraining(
    useShallow((s) => ({
      phase: s.phase,
      settings: s.settings,
      batchPos: s.batchPos,
      startedAt: s.startedAt,
      runId: s.runId,
      status: s.status,
      stop: s.stop,
      history: s.history,
    })),
  );
  if (t.phase === 'idle') return null;
  const epochs = t.settings?.epochs ?? null;
  const pos = t.batchPos;
  const fraction = pos && epochs ? Math.min(1, (pos.epoch - 1 + pos.batch / Math.max(1, pos.of)) / epochs) : undefined;
  // The progress line's estimate (recent epochs); before the first epoch, or while k-fold's folds run, a linear
  // one from the time spent (startedAt is performance.now() time).
  const left = epochs ? trainingSecondsLeft(t.history, pos, epochs) : null;
  const eta =
    left !== null
      ? formatSecondsLeft(left)
      : fraction && t.startedAt
        ? formatEta(performance.now() - t.startedAt, fraction)
        : '';
  const what =
    t.phase === 'starting'
      ? 'starting…'
      : t.phase === 'stopping'
        ? 'stopping…'
        : t.phase === 'finishing'
          ? 'saving…'
          : pos
            ? `epoch ${pos.epoch}${epochs ? `/${epochs}` : ''}`
            : '…';
  return (
    <span className="job" data-testid="training-job" title={t.status || undefined}>
      Training{t.runId !== null ? ` run ${t.runId}` : ''} · {what}
      <progress max={1} value={fraction} />
      {eta ? <span className="job-msg">{eta}</span> : null}
      <button
        className="link"
        onClick={() => t.stop()}
        disabled={t.phase === 'stopping'}
        title="Stop training after this batch (the best epoch so far is kept)"
      >
        Stop
      </button>
    </span>
  );
}

export function StatusBar() {
  const { project, jobs, info } = useApp();
  const running = Object.values(jobs).filter((j) => j.state === 'running');
  const extraction = useExtraction();
  const training = useTraining((s) => s.phase !== 'idle');
  const ep = extraction.progress;
  const extractEta =
    ep && ep.done > 0 && extraction.startedAt ? formatEta(Date.now() - extraction.startedAt, ep.done / ep.total) : '';
  const summary = extraction.error ?? extraction.lastSummary;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-project">{project?.name ?? '—'}</span>
      <span data-testid="status-counts">
        {project
          ? `${project.counts.videos} videos · ${project.counts.labeled} labeled · ${project.counts.models} models`
          : ''}
      </span>
      <span className="jobs">
        {extraction.running ? (
          <span className="job" data-testid="extraction-job">
            Keypoints {ep ? `${ep.done}/${ep.total}` : '…'}
            <progress max={1} value={ep && ep.total ? ep.done / ep.total : undefined} />
            {extractEta ? <span data-testid="extraction-eta">{extractEta}</span> : null}
            {ep?.delegate ? (
              <span className="job-msg">
                {ep.delegate}
                {ep.msPerFrame ? ` · ${ep.msPerFrame.toFixed(0)} ms/frame` : ''}
              </span>
            ) : null}
            <button className="link" onClick={() => extraction.cancel()} title="Cancel extraction">
              ✕
            </button>
          </span>
        ) : summary ? (
          <span className="job-msg" data-testid="extraction-summary" title={summary}>
            {summary}
          </span>
        ) : null}
        <TrainingJob />
        {running.length === 0 && !extraction.running && !training
          ? 'No running jobs'
          : running.map((j) => (
              <span key={j.id} className="job" data-testid="job">
                {j.title}
                <progress max={1} value={j.progress ?? undefined} />
                {j.message ? (
                  <span className="job-msg" title={j.message}>
                    {j.message}
                  </span>
                ) : null}
                <button className="link" onClick={() => void api.call('jobs.cancel', { jobId: j.id })} title="Cancel">
                  ✕
                </button>
              </span>
            ))}
      </span>
      <span className="mode">
        {info ? `${info.mode === 'electron' ? 'Desktop' : 'Browser mode'} · v${info.version}` : ''}
      </span>
    </footer>
  );
}
