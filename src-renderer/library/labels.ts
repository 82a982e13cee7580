/**
 * The app's label store instance, wired to the app store (rows) and the API (labels.edit).
 * Module-level so the edit history survives switching views.
 */
import { useStore } from 'zustand';
import { useApp } from '../app/store';
import { api } from '../api/client';
import type { VideoRow } from '../../src-shared/domain/video';
import { createLabelStore, type LabelState } from './label-store';

/** id → row, mirroring useApp.rows (kept in sync by subscription; O(1) lookups for edits). */
const index = new Map<number, VideoRow>();
let indexedFrom: VideoRow[] | null = null;

function syncIndex(rows: VideoRow[]): void {
  if (rows === indexedFrom) return;
  indexedFrom = rows;
  index.clear();
  for (const r of rows) index.set(r.id, r);
}
syncIndex(useApp.getState().rows);
useApp.subscribe((s) => syncIndex(s.rows));

export function rowById(id: number): VideoRow | undefined {
  syncIndex(useApp.getState().rows);
  return index.get(id);
}

export const labelStore = createLabelStore({
  getRow: rowById,
  putRows(rows) {
    if (rows.length > 0) useApp.getState().mergeRows(rows);
  },
  async send(edits) {
    const r = await api.call('labels.edit', { edits });
    return r.rows;
  },
});

export function useLabels<T>(selector: (s: LabelState) => T): T {
  return useStore(labelStore, selector);
}
