/**
 * The first screen's data, requested by the tiny entry chunk before React, ag-grid and the app are even
 * parsed: on a 10,000-video project the server answers while the browser compiles the app, so the grid
 * has its first rows (and its saved column layout) the moment it mounts. Each request is taken once;
 * later refreshes go to the API as usual.
 */
import { api } from '../api/client';

/** Rows in the first page: enough to fill any window; the rest follows once they are on screen. */
export const FIRST_PAGE_ROWS = 200;
export const LIBRARY_LAYOUT_KEY = 'library.columns';

function request() {
  return {
    info: api.call('app.info', {}),
    project: api.call('project.get', {}),
    firstRows: api.call('videos.list', { limit: FIRST_PAGE_ROWS }),
    jobs: api.call('jobs.list', {}),
    layout: api.call('project.getSetting', { key: LIBRARY_LAYOUT_KEY }),
  };
}

type Early = ReturnType<typeof request>;
let early: Early | null = null;

export function startFirstLoad(): void {
  if (early) return;
  early = request();
  // Taken (and awaited) later; a failure is reported by whoever takes it.
  for (const p of Object.values(early)) (p as Promise<unknown>).catch(() => undefined);
}

/** The early request for `key`, once; afterwards (or if none was started) undefined. */
export function takeEarly<K extends keyof Early>(key: K): Early[K] | undefined {
  const p = early?.[key];
  if (early && p) early = { ...early, [key]: undefined } as Early;
  return p;
}
