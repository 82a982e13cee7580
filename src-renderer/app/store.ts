import { create } from 'zustand';
import type { ProjectSummary, AppInfo } from '../../src-shared/domain/project';
import type { VideoRow } from '../../src-shared/domain/video';
import type { JobInfo } from '../../src-shared/domain/jobs';
import { api } from '../api/client';
import { FIRST_PAGE_ROWS, takeEarly } from './first-load';

export type ViewName = 'library' | 'training' | 'live' | 'models' | 'datasets';

interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

interface AppState {
  view: ViewName;
  info: AppInfo | null;
  project: ProjectSummary | null;
  rows: VideoRow[];
  jobs: Record<string, JobInfo>;
  toasts: Toast[];
  loadError: string | null;
  setView(view: ViewName): void;
  refresh(): Promise<void>;
  refreshProject(): Promise<void>;
  mergeRows(rows: VideoRow[]): void;
  upsertJob(job: JobInfo): void;
  toast(kind: Toast['kind'], message: string): void;
  dismiss(id: number): void;
}

let toastId = 0;

export const useApp = create<AppState>((set, get) => ({
  view: (location.hash.replace('#/', '') as ViewName) || 'library',
  info: null,
  project: null,
  rows: [],
  jobs: {},
  toasts: [],
  loadError: null,
  setView(view) {
    location.hash = `#/${view}`;
    set({ view });
  },
  async refresh() {
    try {
      // First screen first: a page of rows, then the whole project (the grid reconciles by row id).
      const [info, project, firstRows, jobs] = await Promise.all([
        takeEarly('info') ?? api.call('app.info', {}),
        takeEarly('project') ?? api.call('project.get', {}),
        takeEarly('firstRows') ?? api.call('videos.list', { limit: FIRST_PAGE_ROWS }),
        takeEarly('jobs') ?? api.call('jobs.list', {}),
      ]);
      set({ info, project, rows: firstRows, jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), loadError: null });
      if (firstRows.length === FIRST_PAGE_ROWS) {
        // After the first rows are painted: the whole list (a few hundred ms for 10,000) must not delay them.
        // (rAF does not fire in a hidden window, hence the timer too.)
        await new Promise<void>((resolve) => {
          requestAnimationFrame(() => setTimeout(resolve, 0));
          setTimeout(resolve, 250);
        });
        set({ rows: await api.call('videos.list', {}) });
      }
    } catch (err) {
      set({ loadError: (err as Error).message });
    }
  },
  async refreshProject() {
    const project = await api.call('project.get', {});
    set({ project });
  },
  mergeRows(updated) {
    const byId = new Map(updated.map((r) => [r.id, r]));
    set({ rows: get().rows.map((r) => byId.get(r.id) ?? r) });
  },
  upsertJob(job) {
    set({ jobs: { ...get().jobs, [job.id]: job } });
  },
  toast(kind, message) {
    const id = ++toastId;
    set({ toasts: [...get().toasts, { id, kind, message }] });
    if (kind === 'info') setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));
