import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../src-shared/domain/jobs';
import type { ApiEvent } from '../src-shared/api/contract';
import { ApiError } from '../src-shared/api/errors';

export type EventSink = (event: ApiEvent) => void;

export interface JobContext {
  signal: AbortSignal;
  /** Report progress (0..1 or null) and a short message; events are throttled to ~10/s. */
  progress(fraction: number | null, message?: string | null): void;
}

/** Runs long work in the background, reports it as events, and lets the user cancel it. */
export class JobRegistry {
  private readonly jobs = new Map<string, { info: JobInfo; controller: AbortController; lastEmit: number }>();

  constructor(private readonly emit: EventSink) {}

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info);
  }

  start(kind: string, title: string, work: (ctx: JobContext) => Promise<string | void>): JobInfo {
    const controller = new AbortController();
    const info: JobInfo = {
      id: randomUUID(),
      kind,
      title,
      state: 'running',
      progress: 0,
      message: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const entry = { info, controller, lastEmit: 0 };
    this.jobs.set(info.id, entry);
    this.emit({ type: 'job', job: { ...info } });
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (fraction, message) => {
        info.progress = fraction;
        if (message !== undefined) info.message = message;
        const now = Date.now();
        if (now - entry.lastEmit >= 100) {
          entry.lastEmit = now;
          this.emit({ type: 'job', job: { ...info } });
        }
      },
    };
    void (async () => {
      try {
        const summary = await work(ctx);
        info.state = controller.signal.aborted ? 'cancelled' : 'done';
        info.progress = 1;
        if (summary) info.message = summary;
      } catch (err) {
        const cancelled = controller.signal.aborted || (err instanceof ApiError && err.code === 'cancelled');
        info.state = cancelled ? 'cancelled' : 'failed';
        info.message = cancelled ? 'Cancelled' : err instanceof Error ? err.message : String(err);
      } finally {
        info.finishedAt = new Date().toISOString();
        this.emit({ type: 'job', job: { ...info } });
        this.prune();
      }
    })();
    return { ...info };
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('not_found', `No job ${id}`);
    job.controller.abort();
  }

  cancelAll(): void {
    for (const j of this.jobs.values()) j.controller.abort();
  }

  /** Keep the last 50 finished jobs for the status bar. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - 50))) this.jobs.delete(j.info.id);
  }
}
