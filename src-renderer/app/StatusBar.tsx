import { useApp } from './store';
import { api } from '../api/client';
import { useExtraction } from '../pose/extraction-store';

export function StatusBar() {
  const { project, jobs, info } = useApp();
  const running = Object.values(jobs).filter((j) => j.state === 'running');
  const extraction = useExtraction();
  const ep = extraction.progress;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-project">{project?.name ?? '—'}</span>
      <span data-testid="status-counts">
        {project ? `${project.counts.videos} videos · ${project.counts.labeled} labeled · ${project.counts.models} models` : ''}
      </span>
      <span className="jobs">
        {extraction.running ? (
          <span className="job" data-testid="extraction-job">
            Keypoints {ep ? `${ep.done}/${ep.total}` : '…'}
            <progress max={1} value={ep && ep.total ? ep.done / ep.total : undefined} />
            {ep?.delegate ? <span className="job-msg">{ep.delegate}{ep.msPerFrame ? ` · ${ep.msPerFrame.toFixed(0)} ms/frame` : ''}</span> : null}
            <button className="link" onClick={() => extraction.cancel()} title="Cancel extraction">
              ✕
            </button>
          </span>
        ) : extraction.lastSummary || extraction.error ? (
          <span className="job-msg" data-testid="extraction-summary">{extraction.error ?? extraction.lastSummary}</span>
        ) : null}
        {running.length === 0 && !extraction.running
          ? 'No running jobs'
          : running.map((j) => (
              <span key={j.id} className="job" data-testid="job">
                {j.title}
                <progress max={1} value={j.progress ?? undefined} />
                {j.message ? <span className="job-msg">{j.message}</span> : null}
                <button className="link" onClick={() => void api.call('jobs.cancel', { jobId: j.id })} title="Cancel">
                  ✕
                </button>
              </span>
            ))}
      </span>
      <span className="mode">{info ? `${info.mode === 'electron' ? 'Desktop' : 'Browser mode'} · v${info.version}` : ''}</span>
    </footer>
  );
}
