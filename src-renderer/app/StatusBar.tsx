import { useApp } from './store';
import { api } from '../api/client';

export function StatusBar() {
  const { project, jobs, info } = useApp();
  const running = Object.values(jobs).filter((j) => j.state === 'running');
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-project">{project?.name ?? '—'}</span>
      <span data-testid="status-counts">
        {project ? `${project.counts.videos} videos · ${project.counts.labeled} labeled · ${project.counts.models} models` : ''}
      </span>
      <span className="jobs">
        {running.length === 0
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
