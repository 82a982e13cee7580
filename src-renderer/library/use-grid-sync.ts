/**
 * Rows of the app store → the grid by transaction (getRowId): only added, changed and removed rows go
 * in, so 10,000 rows stay smooth and a reload returning equal rows costs no grid update.
 */
import { useCallback, useEffect, useRef, type MutableRefObject } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { VideoRow } from '../../src-shared/domain/video';

/** Same content (a reload returns equal rows as new objects: no grid update for those). */
export function sameRow(a: VideoRow, b: VideoRow): boolean {
  for (const k of Object.keys(a) as Array<keyof VideoRow>) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    const xo = x as unknown as Record<string, unknown>;
    const yo = y as unknown as Record<string, unknown>;
    for (const kk of Object.keys(xo)) if (xo[kk] !== yo[kk]) return false;
  }
  return true;
}

/** Keeps the grid in step with `rows`; `inGrid` is what the grid holds (reset when the grid is created). */
export function useGridSync(
  gridRef: MutableRefObject<GridApi<VideoRow> | null>,
  rows: VideoRow[],
  setShown: (n: number) => void,
) {
  const inGrid = useRef(new Map<number, VideoRow>());
  const syncGrid = useCallback(
    (next: VideoRow[]) => {
      const g = gridRef.current;
      if (!g) return;
      const known = inGrid.current;
      const add: VideoRow[] = [];
      const update: VideoRow[] = [];
      const seen = new Set<number>();
      // A row being edited is not touched (an update would close the editor); it syncs when editing stops.
      const editing = new Set(g.getEditingCells().map((c) => g.getDisplayedRowAtIndex(c.rowIndex)?.data?.id));
      for (const r of next) {
        seen.add(r.id);
        const prev = known.get(r.id);
        if (prev === r) continue;
        if (prev && (editing.has(r.id) || sameRow(prev, r))) {
          if (!editing.has(r.id)) known.set(r.id, r);
          continue;
        }
        if (prev) update.push(r);
        else add.push(r);
        known.set(r.id, r);
      }
      const remove: VideoRow[] = [];
      if (seen.size !== known.size) {
        for (const [id, r] of known) {
          if (!seen.has(id)) {
            remove.push(r);
            known.delete(id);
          }
        }
      }
      if (add.length + update.length + remove.length === 0) return;
      g.applyTransaction({ add, update, remove });
      setShown(g.getDisplayedRowCount());
    },
    [gridRef, setShown],
  );

  useEffect(() => {
    syncGrid(rows);
  }, [rows, syncGrid]);

  return { inGrid, syncGrid };
}
