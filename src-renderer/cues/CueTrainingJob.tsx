/**
 * A learned cue model training as a job (`cues.startTraining`): its progress per epoch, an ETA and Cancel
 * (`jobs.cancel`; a cancelled job saves nothing). Follows the job through the app's job events; tells the
 * caller once when it ended.
 */
import { useEffect, useRef } from 'react';
import { api } from '../api/client';
import { useApp } from '../app/store';
import { formatEta } from '../app/eta';
import type { JobInfo } from '../../src-shared/domain/jobs';

export function CueTrainingJob({ jobId, onEnd }: { jobId: string; onEnd: (job: JobInfo) => void }) {
  const job = useApp((s) => s.jobs[jobId]);
  const ended = useRef(false);
  useEffect(() => {
    if (job && job.state !== 'running' && !ended.current) {
      ended.current = true;
      onEnd(job);
    }
  }, [job, onEnd]);
  const fraction = job?.progress ?? 0;
  const eta = job ? formatEta(Date.now() - Date.parse(job.startedAt), fraction) : '';
  return (
    <div className="form-row" data-testid="learned-training">
      Training… {job?.message ?? 'starting'} <progress max={1} value={fraction} />{' '}
      {eta ? <span className="muted">{eta}</span> : null}{' '}
      <button
        type="button"
        disabled={!job || job.state !== 'running'}
        onClick={() => void api.call('jobs.cancel', { jobId })}
        data-testid="learned-train-cancel"
      >
        Cancel
      </button>
    </div>
  );
}
