/**
 * The grid's cell range (Shift+click / Shift+arrows) as a hook: where focus was, whether Shift was down
 * for this move, and the highlight (a cell class rule reading the one library grid's range).
 */
import { useCallback, useRef, type MutableRefObject } from 'react';
import type { ColDef, GridApi } from 'ag-grid-community';
import type { VideoRow } from '../../src-shared/domain/video';
import {
  inRange,
  isMultiCell,
  nextRange,
  rangeBounds,
  type CellPos,
  type CellRange,
  type RangeBounds,
} from './cell-range';

/** The highlighted cell range of the (one) library grid, read by the cell class rule below. */
let shownRange: RangeBounds | null = null;
export const DEFAULT_COL_DEF: ColDef<VideoRow> = {
  sortable: true,
  resizable: true,
  cellClassRules: {
    'fs-in-range': (p) => p.node.rowIndex != null && inRange(shownRange, p.node.rowIndex, p.column.getColId()),
  },
};

export function useCellRange(gridRef: MutableRefObject<GridApi<VideoRow> | null>) {
  const range = useRef<CellRange | null>(null);
  const lastFocus = useRef<CellPos | null>(null);
  const shiftDown = useRef(false);

  /** The rectangle in display terms, or null when no more than one cell is marked. */
  const currentRange = useCallback((): RangeBounds | null => {
    const r = range.current;
    return isMultiCell(r)
      ? rangeBounds(r, gridRef.current?.getAllDisplayedColumns().map((c) => c.getColId()) ?? [])
      : null;
  }, [gridRef]);
  const setRange = useCallback(
    (next: CellRange | null) => {
      const before = shownRange;
      range.current = next;
      shownRange = currentRange();
      if (before || shownRange) gridRef.current?.refreshCells({ force: true, suppressFlash: true });
    },
    [currentRange, gridRef],
  );
  /** Focus moved to `pos`: with Shift down the range stretches, else it ends. */
  const focusMoved = useCallback(
    (pos: CellPos) => {
      setRange(nextRange(range.current, lastFocus.current, pos, shiftDown.current));
      lastFocus.current = pos;
    },
    [setRange],
  );

  return { range, shiftDown, currentRange, setRange, focusMoved };
}
