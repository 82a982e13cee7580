/**
 * The library's quick filters and column layout (order, widths, sort, filters), saved per project
 * (project.setSetting) a moment after each change and restored when the grid is created.
 */
import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { ColumnState, FilterModel, GridApi } from 'ag-grid-community';
import { api } from '../api/client';
import { LIBRARY_LAYOUT_KEY, takeEarly } from '../app/first-load';
import type { PoseStatus, Split, VideoRow } from '../../src-shared/domain/video';
import type { ExerciseType } from '../../src-shared/domain/exercises';

export interface QuickFilters {
  search: string;
  type: '' | 'none' | ExerciseType;
  split: '' | Split;
  labeled: '' | 'labeled' | 'unlabeled';
  pose: '' | PoseStatus;
}
export const NO_FILTERS: QuickFilters = { search: '', type: '', split: '', labeled: '', pose: '' };

interface SavedLayout {
  columns?: ColumnState[];
  filters?: FilterModel;
  quick?: Partial<QuickFilters>;
}

export function isLabeled(r: VideoRow): boolean {
  return r.label.exerciseType !== null && r.label.score !== null;
}

export function passes(f: QuickFilters, r: VideoRow): boolean {
  if (f.search && !r.relPath.toLowerCase().includes(f.search.toLowerCase())) return false;
  if (f.type === 'none' ? r.label.exerciseType !== null : f.type !== '' && r.label.exerciseType !== f.type)
    return false;
  if (f.split && r.split !== f.split) return false;
  if (f.labeled === 'labeled' && !isLabeled(r)) return false;
  if (f.labeled === 'unlabeled' && isLabeled(r)) return false;
  if (f.pose && r.pose.status !== f.pose) return false;
  return true;
}

export function useLayout(gridRef: MutableRefObject<GridApi<VideoRow> | null>, onError: (message: string) => void) {
  const [quick, setQuick] = useState<QuickFilters>(NO_FILTERS);
  const quickRef = useRef(quick);
  quickRef.current = quick;
  const layoutReady = useRef(false);

  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveLayout = useCallback(() => {
    if (!layoutReady.current) return;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      const g = gridRef.current;
      if (!g) return;
      const value: SavedLayout = { columns: g.getColumnState(), filters: g.getFilterModel(), quick: quickRef.current };
      api
        .call('project.setSetting', { key: LIBRARY_LAYOUT_KEY, value })
        .catch((err: Error) => onError(`Could not save the column layout: ${err.message}`));
    }, 400);
  }, [gridRef, onError]);

  useEffect(() => {
    gridRef.current?.onFilterChanged();
    saveLayout();
  }, [quick, saveLayout, gridRef]);

  /** Applies the saved layout to a new grid; `done` runs when it is in place (or there was none). */
  const restoreLayout = useCallback((g: GridApi<VideoRow>, done: () => void) => {
    (takeEarly('layout') ?? api.call('project.getSetting', { key: LIBRARY_LAYOUT_KEY }))
      .then((v) => {
        const saved = (v ?? null) as SavedLayout | null;
        if (saved?.columns) g.applyColumnState({ state: saved.columns, applyOrder: true });
        if (saved?.filters) g.setFilterModel(saved.filters);
        if (saved?.quick) setQuick({ ...NO_FILTERS, ...saved.quick });
      })
      .catch(() => undefined)
      .finally(() => {
        layoutReady.current = true;
        done();
      });
  }, []);

  return { quick, setQuick, quickRef, layoutReady, saveLayout, restoreLayout };
}
