/** Long work (imports, downloads, extraction, training) is a job: it reports progress and can be cancelled. */
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  /** 0..1, or null when unknown. */
  progress: number | null;
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
}
