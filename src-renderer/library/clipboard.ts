/**
 * Copy, paste and fill down in the labeling grid, spreadsheet style, decided over a snapshot of what the
 * grid shows (rows in display order, columns, selection, focus, cell range). Pure: no DOM, no grid; the
 * view applies the edits through the label store.
 */
import type { LabelEdit } from '../../src-shared/api/contract';
import type { VideoRow } from '../../src-shared/domain/video';
import { cellText, isEditableColumn, parseCell, parseTsv, pasteEdits, toTsv, type PasteError } from './cells';
import type { RangeBounds } from './cell-range';

/** Grid columns never copied (thumbnail, checkbox). */
export const NOT_COPIED = new Set(['thumb', 'ag-Grid-SelectionColumn']);

/** What the grid shows, as the clipboard functions need it. */
export interface GridSnapshot {
  /** Up to `count` displayed rows from display index `from`. */
  rows(from: number, count: number): VideoRow[];
  /** Copyable displayed column ids, in display order. */
  columns: string[];
  /** Selected rows in display order. */
  selected: VideoRow[];
  focused: { rowIndex: number; colId: string } | null;
  /** The marked cell range, or null when no more than one cell is marked. */
  range: RangeBounds | null;
  /** A column's header, for messages. */
  headerName(colId: string): string;
}

/** Edits to save (with their undo label), or a message for the coach. */
export type ClipboardAction =
  { kind: 'edit'; edits: LabelEdit[]; label: string } | { kind: 'message'; message: string } | { kind: 'none' };

/** `row`'s values in the given editable columns, as a label edit (what fill down copies). */
export function labelValues(row: VideoRow, cols: readonly string[]): Omit<LabelEdit, 'videoId'> {
  const patch: Omit<LabelEdit, 'videoId'> = {};
  if (cols.includes('score')) patch.score = row.label.score;
  if (cols.includes('exerciseType')) patch.exerciseType = row.label.exerciseType;
  if (cols.includes('split')) patch.split = row.split;
  return patch;
}

/** The text Ctrl+C copies: the range, else the selected rows, else the focused cell. */
export function copyText(g: GridSnapshot): string | null {
  const cols = g.columns;
  const b = g.range;
  if (b) {
    const rows = g.rows(b.firstRow, b.lastRow - b.firstRow + 1);
    const rangeCols = b.cols.filter((c) => !NOT_COPIED.has(c));
    return toTsv(rows.map((r) => rangeCols.map((c) => cellText(r, c))));
  }
  const sel = g.selected;
  if (sel.length > 1) return toTsv(sel.map((r) => cols.map((c) => cellText(r, c))));
  const f = g.focused;
  if (!f) return sel.length === 1 ? toTsv([cols.map((c) => cellText(sel[0], c))]) : null;
  const row = g.rows(f.rowIndex, 1)[0];
  return row ? toTsv([[cellText(row, f.colId)]]) : null;
}

/** "Copied 2 rows × 3 columns". */
export function copiedMessage(tsv: string, range: RangeBounds | null): string {
  const lines = tsv.split('\n').length;
  const cols = range ? range.cols.filter((c) => !NOT_COPIED.has(c)).length : 0;
  return `Copied ${lines} row${lines > 1 ? 's' : ''}${range ? ` × ${cols} column${cols > 1 ? 's' : ''}` : ''}`;
}

/** What pasting `text` does. All or nothing: one invalid cell refuses the whole paste. */
export function planPaste(g: GridSnapshot, text: string): ClipboardAction {
  const focused = g.focused;
  if (!focused) return { kind: 'message', message: 'Click a cell first: a paste starts at the focused cell.' };
  // With a cell range the paste starts at its top-left cell, like a spreadsheet.
  const b = g.range;
  const f = b ? { rowIndex: b.firstRow, colId: b.cols[0] ?? focused.colId } : focused;
  const block = parseTsv(text.replace(/\n$/, ''));
  if (block.length === 0) return { kind: 'none' };
  const all = g.columns;
  const colId = f.colId;
  let edits: LabelEdit[];
  let errors: PasteError[];
  const sel = g.selected;
  if (block.length === 1 && block[0].length === 1 && sel.length > 1) {
    // One value onto many selected rows: fill them (spreadsheet behaviour).
    if (!isEditableColumn(colId))
      return { kind: 'message', message: `The ${g.headerName(colId)} column cannot be edited.` };
    const p = parseCell(colId, block[0][0]);
    if (!p.ok) return { kind: 'message', message: `Paste refused: ${p.message}` };
    edits = sel.map((r) => ({ videoId: r.id, ...p.patch }));
    errors = [];
  } else {
    // A whole copied row pastes onto the row's own columns wherever the cursor is.
    const start = block[0].length === all.length ? 0 : Math.max(0, all.indexOf(colId));
    const targets = g.rows(f.rowIndex, block.length);
    ({ edits, errors } = pasteEdits(block, targets, all.slice(start)));
  }
  if (errors.length > 0) {
    const head = errors
      .slice(0, 3)
      .map((e) => `${e.file} ${e.col}: ${e.message}`)
      .join('; ');
    return {
      kind: 'message',
      message: `Paste refused, nothing changed (${errors.length} invalid cell${errors.length > 1 ? 's' : ''}): ${head}`,
    };
  }
  if (edits.length === 0)
    return { kind: 'message', message: 'Nothing to paste into editable columns (split, exercise, score).' };
  return { kind: 'edit', edits, label: `Paste ${edits.length} row${edits.length > 1 ? 's' : ''}` };
}

const FILL_COLUMNS = 'Fill down works on the split, exercise and score columns.';

/**
 * What Ctrl+D does: a range fills its top row down; else the focused cell's value goes to the selected
 * rows, or (no selection) the cell takes the value from the row above.
 */
export function planFillDown(g: GridSnapshot): ClipboardAction {
  const f = g.focused;
  if (!f) return { kind: 'none' };
  const b = g.range;
  if (b && b.lastRow > b.firstRow) {
    // A range: its top row's values down the rest of it, in each editable column of the range.
    const [top, ...below] = g.rows(b.firstRow, b.lastRow - b.firstRow + 1);
    const cols = b.cols.filter(isEditableColumn);
    if (!top || cols.length === 0) return { kind: 'message', message: FILL_COLUMNS };
    const patch = labelValues(top, cols);
    return {
      kind: 'edit',
      edits: below.map((r) => ({ videoId: r.id, ...patch })),
      label: `Fill down ${below.length} row${below.length > 1 ? 's' : ''}`,
    };
  }
  const colId = f.colId;
  if (!isEditableColumn(colId)) return { kind: 'message', message: FILL_COLUMNS };
  const src = g.rows(f.rowIndex, 1)[0];
  if (!src) return { kind: 'none' };
  const sel = g.selected.filter((r) => r.id !== src.id);
  let targets: VideoRow[];
  let from = src;
  if (sel.length > 0) targets = sel;
  else {
    // No selection: like a spreadsheet, take the value from the row above.
    const above = f.rowIndex > 0 ? g.rows(f.rowIndex - 1, 1)[0] : undefined;
    if (!above) return { kind: 'none' };
    from = above;
    targets = [src];
  }
  const patch = labelValues(from, [colId]);
  return {
    kind: 'edit',
    edits: targets.map((r) => ({ videoId: r.id, ...patch })),
    label: `Fill down ${colId} to ${targets.length} row${targets.length > 1 ? 's' : ''}`,
  };
}
