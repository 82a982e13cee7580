/**
 * The page's main-thread tasks from a Chromium trace (categories 'toplevel' and 'blink.user_timing'): wall time
 * (what the Long Tasks API sees) and the thread's CPU time during each task, split at a `performance.mark` the
 * test sets. On a shared, loaded machine a task's wall time is its CPU time stretched by waiting for a core; the
 * CPU time is what the page's own code costs.
 */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface Task {
  /** ms from the start of the trace. */
  at: number;
  wallMs: number;
  cpuMs: number;
}

export interface MainThreadTasks {
  /** Tasks before and after the mark (all of them in `before` without one), most CPU first. */
  before: Task[];
  after: Task[];
  /** The task with the most CPU time. */
  longestCpu: Task;
  /** The task with the longest wall time. */
  longestWall: Task;
  /** ms from the start of the trace to `mark` and to `endMark`. */
  markAt?: number;
  endAt?: number;
}

export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];

/**
 * `mark` splits the tasks into before and after; tasks from `endMark` on are left out (stopping the trace flushes it
 * on the page's thread: a task of the tracing, not of the page).
 */
export function mainThreadTasks(trace: Buffer, mark?: string, endMark?: string): MainThreadTasks {
  const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const runs = events.filter(
    (e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && main.has(`${e.pid}:${e.tid}`),
  );
  const t0 = Math.min(...runs.map((e) => e.ts));
  const markTs = mark ? events.find((e) => e.name === mark)?.ts : undefined;
  const endTs = endMark ? events.find((e) => e.name === endMark)?.ts : undefined;
  const tasks = runs
    .filter((e) => endTs === undefined || e.ts + (e.dur ?? 0) <= endTs)
    .map((e) => ({ at: (e.ts - t0) / 1000, wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000, ts: e.ts }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const strip = ({ at, wallMs, cpuMs }: Task) => ({ at, wallMs, cpuMs });
  const none = { at: 0, wallMs: 0, cpuMs: 0 };
  return {
    before: tasks.filter((t) => markTs === undefined || t.ts < markTs).map(strip),
    after: tasks.filter((t) => markTs !== undefined && t.ts >= markTs).map(strip),
    longestCpu: tasks.length ? strip(tasks[0]) : none,
    longestWall: tasks.reduce<Task>((a, t) => (t.wallMs > a.wallMs ? strip(t) : a), none),
    markAt: markTs === undefined ? undefined : (markTs - t0) / 1000,
    endAt: endTs === undefined ? undefined : (endTs - t0) / 1000,
  };
}

/** "64 ms CPU (1357 ms wall) at 12.3 s" for the first `n` tasks. */
export function describeTasks(tasks: Task[], n = 3): string {
  return tasks
    .slice(0, n)
    .map((t) => `${t.cpuMs.toFixed(0)} ms CPU (${t.wallMs.toFixed(0)} ms wall) at ${(t.at / 1000).toFixed(1)} s`)
    .join(', ');
}
