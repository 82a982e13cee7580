/**
 * A rectangle of grid cells, spreadsheet style: Shift+click or Shift+arrows extend it from the cell
 * where it started. ag-grid's own range selection is enterprise-only; this is the little the library
 * needs: which cells are inside (for the highlight) and the rectangle's rows and columns (for copy,
 * paste and fill). Columns are given in display order, so moved columns copy as shown.
 */
export interface CellPos {
  row: number;
  col: string;
}

export interface CellRange {
  anchor: CellPos;
  end: CellPos;
}

export interface RangeBounds {
  firstRow: number;
  lastRow: number;
  /** Column ids of the rectangle, in display order. */
  cols: string[];
}

export function rangeBounds(range: CellRange, displayedCols: readonly string[]): RangeBounds | null {
  const a = displayedCols.indexOf(range.anchor.col);
  const b = displayedCols.indexOf(range.end.col);
  if (a < 0 || b < 0) return null; // a column was hidden meanwhile
  return {
    firstRow: Math.min(range.anchor.row, range.end.row),
    lastRow: Math.max(range.anchor.row, range.end.row),
    cols: displayedCols.slice(Math.min(a, b), Math.max(a, b) + 1),
  };
}

/** More than one cell: a single cell is just the focused cell, not a range. */
export function isMultiCell(range: CellRange | null): range is CellRange {
  return !!range && (range.anchor.row !== range.end.row || range.anchor.col !== range.end.col);
}

export function inRange(bounds: RangeBounds | null, row: number, col: string): boolean {
  return !!bounds && row >= bounds.firstRow && row <= bounds.lastRow && bounds.cols.includes(col);
}

/**
 * The range after focus moved to `to`. With Shift held it stretches from the existing anchor (or from
 * where focus was, `from`); without Shift there is no range any more.
 */
export function nextRange(
  current: CellRange | null,
  from: CellPos | null,
  to: CellPos,
  shift: boolean,
): CellRange | null {
  if (!shift || !from) return null;
  return { anchor: current?.anchor ?? from, end: to };
}
