/**
 * The labeling grid: coaches label hundreds of videos by keyboard, with nothing ever lost.
 *
 * Rows live in the app store; the grid gets them once and then only transactions (getRowId), so
 * 10,000 rows stay smooth. Every accepted edit goes through the label store (labels.ts): shown at once,
 * saved at once (labels.edit, one transaction), replaced by the row as saved, undoable.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  colorSchemeDarkBlue,
  type ColumnState,
  type FilterModel,
  type GridApi,
  type GridReadyEvent,
  type IRowNode,
  type RowSelectionOptions,
  type CellFocusedEvent,
  type SelectionChangedEvent,
  type ModelUpdatedEvent,
  type ColumnMovedEvent,
  type ColumnResizedEvent,
  type FilterChangedEvent,
  type ColDef,
} from 'ag-grid-community';
import { useApp } from '../app/store';
import { api } from '../api/client';
import { LIBRARY_LAYOUT_KEY, takeEarly } from '../app/first-load';
import type { LabelEdit } from '../../src-shared/api/contract';
import type { PoseStatus, Split, VideoRow } from '../../src-shared/domain/video';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, isExerciseType, type ExerciseType } from '../../src-shared/domain/exercises';
import { validateScore } from '../../src-shared/domain/scores';
import { buildColumns, type CommitFn } from './renderers';
import { cellText, isEditableColumn, parseCell, parseTsv, pasteEdits, toTsv } from './cells';
import { inRange, isMultiCell, nextRange, rangeBounds, type CellPos, type CellRange, type RangeBounds } from './cell-range';
import { labelStore, rowById, useLabels } from './labels';
import { PreviewPane, type KeypointsLoader, apiKeypoints } from './PreviewPane';
import { CsvImportDialog, downloadText } from './CsvDialog';
import { useExtraction } from '../pose/extraction-store';

/** Pose keypoints for every video that needs them (cached by content; shift-click re-extracts all). */
function ExtractButton() {
  const extraction = useExtraction();
  const p = extraction.progress;
  if (extraction.running) {
    return (
      <button onClick={() => extraction.cancel()} data-testid="library-extract" title="Cancel extraction">
        Extracting {p ? `${p.done}/${p.total}` : '…'} · Cancel
      </button>
    );
  }
  return (
    <button
      onClick={(e) => void extraction.start({ force: e.shiftKey })}
      data-testid="library-extract"
      title="Run the pose model on 24 frames of every video without keypoints (Shift+click: re-extract all)"
    >
      Extract keypoints
    </button>
  );
}

ModuleRegistry.registerModules([AllCommunityModule]);
const theme = themeQuartz.withPart(colorSchemeDarkBlue).withParams({ rowHeight: 44, headerHeight: 36, fontSize: 13 });

/** The highlighted cell range of the (one) library grid, read by the cell class rule below. */
let shownRange: RangeBounds | null = null;
const DEFAULT_COL_DEF: ColDef<VideoRow> = {
  sortable: true,
  resizable: true,
  cellClassRules: { 'fs-in-range': (p) => p.node.rowIndex != null && inRange(shownRange, p.node.rowIndex, p.column.getColId()) },
};
const NOT_COPIED = new Set(['thumb', 'ag-Grid-SelectionColumn']);
const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Meta', 'Alt']);

/** `row`'s values in the given editable columns, as a label edit (what fill down copies). */
function labelValues(row: VideoRow, cols: readonly string[]): Omit<LabelEdit, 'videoId'> {
  const patch: Omit<LabelEdit, 'videoId'> = {};
  if (cols.includes('score')) patch.score = row.label.score;
  if (cols.includes('exerciseType')) patch.exerciseType = row.label.exerciseType;
  if (cols.includes('split')) patch.split = row.split;
  return patch;
}

interface QuickFilters {
  search: string;
  type: '' | 'none' | ExerciseType;
  split: '' | Split;
  labeled: '' | 'labeled' | 'unlabeled';
  pose: '' | PoseStatus;
}
const NO_FILTERS: QuickFilters = { search: '', type: '', split: '', labeled: '', pose: '' };

interface SavedLayout {
  columns?: ColumnState[];
  filters?: FilterModel;
  quick?: Partial<QuickFilters>;
}

function isLabeled(r: VideoRow): boolean {
  return r.label.exerciseType !== null && r.label.score !== null;
}

/** Same content (a reload returns equal rows as new objects: no grid update for those). */
function sameRow(a: VideoRow, b: VideoRow): boolean {
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

function passes(f: QuickFilters, r: VideoRow): boolean {
  if (f.search && !r.relPath.toLowerCase().includes(f.search.toLowerCase())) return false;
  if (f.type === 'none' ? r.label.exerciseType !== null : f.type !== '' && r.label.exerciseType !== f.type) return false;
  if (f.split && r.split !== f.split) return false;
  if (f.labeled === 'labeled' && !isLabeled(r)) return false;
  if (f.labeled === 'unlabeled' && isLabeled(r)) return false;
  if (f.pose && r.pose.status !== f.pose) return false;
  return true;
}

const rowSelection: RowSelectionOptions = {
  mode: 'multiRow',
  checkboxes: true,
  headerCheckbox: true,
  enableClickSelection: false,
  selectAll: 'filtered',
};

export function LibraryView({ loadKeypoints = apiKeypoints }: { loadKeypoints?: KeypointsLoader } = {}) {
  const rows = useApp((s) => s.rows);
  const project = useApp((s) => s.project);
  const toast = useApp((s) => s.toast);
  const [importPath, setImportPath] = useState('');
  const gridRef = useRef<GridApi<VideoRow> | null>(null);
  const [quick, setQuick] = useState<QuickFilters>(NO_FILTERS);
  const quickRef = useRef(quick);
  quickRef.current = quick;
  const [selected, setSelected] = useState(0);
  const [shown, setShown] = useState(0);
  const [previewId, setPreviewId] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [csvOpen, setCsvOpen] = useState(false);
  const [bulkScore, setBulkScore] = useState('');
  const paneRef = useRef<HTMLDivElement>(null);
  // Cell range (Shift+click / Shift+arrows): where focus was, whether Shift was down for this move.
  const range = useRef<CellRange | null>(null);
  const lastFocus = useRef<CellPos | null>(null);
  const shiftDown = useRef(false);
  const layoutReady = useRef(false);
  const save = useLabels((s) => s.save);
  const canUndo = useLabels((s) => s.undoStack.length > 0);
  const canRedo = useLabels((s) => s.redoStack.length > 0);

  const say = useCallback((m: string | null) => setMessage(m), []);

  // Save errors: the label store already reverted the rows; tell the coach.
  useEffect(() => {
    if (save.kind === 'error') say(`Not saved: ${save.message}`);
  }, [save, say]);

  const commit = useCallback<CommitFn>(
    (row, col, value) => {
      let edit: LabelEdit;
      if (col === 'score') {
        if (value === null || value === undefined || value === '') edit = { videoId: row.id, score: null };
        else {
          const v = validateScore(value);
          if (!v.ok) {
            say(`Refused: ${v.message}`);
            return;
          }
          edit = { videoId: row.id, score: v.value };
        }
      } else if (col === 'exerciseType') {
        if (value !== null && !isExerciseType(value)) {
          say(`Refused: unknown exercise type "${String(value)}"`);
          return;
        }
        edit = { videoId: row.id, exerciseType: value };
      } else {
        if (value !== 'train' && value !== 'test') {
          say(`Refused: split must be train or test`);
          return;
        }
        edit = { videoId: row.id, split: value };
      }
      say(null);
      void labelStore.getState().edit([edit], `Edit ${col} of ${row.relPath}`);
    },
    [say],
  );
  const columns = useMemo(() => buildColumns(commit), [commit]);

  // ---- rows → grid by transaction ------------------------------------------------------------
  const inGrid = useRef(new Map<number, VideoRow>());
  const syncGrid = useCallback((next: VideoRow[]) => {
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
  }, []);

  useEffect(() => {
    syncGrid(rows);
  }, [rows, syncGrid]);

  // ---- layout persistence --------------------------------------------------------------------
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveLayout = useCallback(() => {
    if (!layoutReady.current) return;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      const g = gridRef.current;
      if (!g) return;
      const value: SavedLayout = { columns: g.getColumnState(), filters: g.getFilterModel(), quick: quickRef.current };
      api.call('project.setSetting', { key: LIBRARY_LAYOUT_KEY, value }).catch((err: Error) => toast('error', `Could not save the column layout: ${err.message}`));
    }, 400);
  }, [toast]);

  useEffect(() => {
    gridRef.current?.onFilterChanged();
    saveLayout();
  }, [quick, saveLayout]);

  // Rows the grid is created with (fastest path for the first 10,000); frozen once the grid is ready.
  const initialRows = useRef<VideoRow[]>(rows);
  if (gridRef.current === null) initialRows.current = rows;
  const onGridReady = useCallback(
    (e: GridReadyEvent<VideoRow>) => {
      gridRef.current = e.api;
      inGrid.current = new Map();
      // The grid was created with the rows of its first render (rowData below); later changes are transactions.
      for (const r of initialRows.current) inGrid.current.set(r.id, r);
      if (initialRows.current !== useApp.getState().rows) syncGrid(useApp.getState().rows);
      setShown(e.api.getDisplayedRowCount());
      (takeEarly('layout') ?? api.call('project.getSetting', { key: LIBRARY_LAYOUT_KEY }))
        .then((v) => {
          const saved = (v ?? null) as SavedLayout | null;
          if (saved?.columns) e.api.applyColumnState({ state: saved.columns, applyOrder: true });
          if (saved?.filters) e.api.setFilterModel(saved.filters);
          if (saved?.quick) setQuick({ ...NO_FILTERS, ...saved.quick });
        })
        .catch(() => undefined)
        .finally(() => {
          layoutReady.current = true;
          setShown(e.api.getDisplayedRowCount());
        });
      // Start on the first row, ready for the keyboard.
      const first = e.api.getDisplayedRowAtIndex(0);
      if (first?.data) {
        e.api.setFocusedCell(0, 'score');
        setPreviewId(first.data.id);
      }
    },
    [syncGrid],
  );

  // ---- helpers over the grid -----------------------------------------------------------------
  const displayedRows = (from: number, count: number): VideoRow[] => {
    const g = gridRef.current!;
    const out: VideoRow[] = [];
    const n = g.getDisplayedRowCount();
    for (let i = from; i < n && out.length < count; i++) {
      const d = g.getDisplayedRowAtIndex(i)?.data;
      if (d) out.push(d);
    }
    return out;
  };
  const copyColumns = (): string[] =>
    (gridRef.current?.getAllDisplayedColumns() ?? []).map((c) => c.getColId()).filter((id) => !NOT_COPIED.has(id));
  const selectedRows = (): VideoRow[] => {
    const g = gridRef.current;
    if (!g) return [];
    const nodes: IRowNode<VideoRow>[] = [];
    g.forEachNodeAfterFilterAndSort((n) => {
      if (n.isSelected() && n.data) nodes.push(n);
    });
    return nodes.map((n) => n.data!);
  };

  /** The rectangle in display terms, or null when no more than one cell is marked. */
  const currentRange = useCallback((): RangeBounds | null => {
    const r = range.current;
    return isMultiCell(r) ? rangeBounds(r, gridRef.current?.getAllDisplayedColumns().map((c) => c.getColId()) ?? []) : null;
  }, []);
  const setRange = useCallback(
    (next: CellRange | null) => {
      const before = shownRange;
      range.current = next;
      shownRange = currentRange();
      if (before || shownRange) gridRef.current?.refreshCells({ force: true, suppressFlash: true });
    },
    [currentRange],
  );

  const copy = (): string | null => {
    const g = gridRef.current;
    if (!g) return null;
    const cols = copyColumns();
    const b = currentRange();
    if (b) {
      const rows = displayedRows(b.firstRow, b.lastRow - b.firstRow + 1);
      const rangeCols = b.cols.filter((c) => !NOT_COPIED.has(c));
      return toTsv(rows.map((r) => rangeCols.map((c) => cellText(r, c))));
    }
    const sel = selectedRows();
    if (sel.length > 1) return toTsv(sel.map((r) => cols.map((c) => cellText(r, c))));
    const f = g.getFocusedCell();
    if (!f) return sel.length === 1 ? toTsv([cols.map((c) => cellText(sel[0], c))]) : null;
    const row = g.getDisplayedRowAtIndex(f.rowIndex)?.data;
    return row ? toTsv([[cellText(row, f.column.getColId())]]) : null;
  };

  const paste = (text: string) => {
    const g = gridRef.current;
    const focused = g?.getFocusedCell();
    if (!g || !focused) {
      say('Click a cell first: a paste starts at the focused cell.');
      return;
    }
    // With a cell range the paste starts at its top-left cell, like a spreadsheet.
    const b = currentRange();
    const f = b ? { rowIndex: b.firstRow, column: g.getColumn(b.cols[0]) ?? focused.column } : focused;
    const block = parseTsv(text.replace(/\n$/, ''));
    if (block.length === 0) return;
    const all = copyColumns();
    const colId = f.column.getColId();
    let edits: LabelEdit[];
    let errors: Array<{ row: number; col: string; message: string }>;
    const sel = selectedRows();
    if (block.length === 1 && block[0].length === 1 && sel.length > 1) {
      // One value onto many selected rows: fill them (spreadsheet behaviour).
      if (!isEditableColumn(colId)) {
        say(`The ${f.column.getColDef().headerName ?? colId} column cannot be edited.`);
        return;
      }
      const p = parseCell(colId, block[0][0]);
      if (!p.ok) {
        say(`Paste refused: ${p.message}`);
        return;
      }
      edits = sel.map((r) => ({ videoId: r.id, ...p.patch }));
      errors = [];
    } else {
      // A whole copied row pastes onto the row's own columns wherever the cursor is.
      const start = block[0].length === all.length ? 0 : Math.max(0, all.indexOf(colId));
      const targets = displayedRows(f.rowIndex, block.length);
      ({ edits, errors } = pasteEdits(block, targets, all.slice(start)));
    }
    if (errors.length > 0) {
      const head = errors.slice(0, 3).map((e) => `row ${e.row} ${e.col}: ${e.message}`).join('; ');
      say(`Paste refused, nothing changed (${errors.length} invalid cell${errors.length > 1 ? 's' : ''}): ${head}`);
      return;
    }
    if (edits.length === 0) {
      say('Nothing to paste into editable columns (split, exercise, score).');
      return;
    }
    say(null);
    void labelStore.getState().edit(edits, `Paste ${edits.length} row${edits.length > 1 ? 's' : ''}`);
  };

  const fillDown = () => {
    const g = gridRef.current;
    const f = g?.getFocusedCell();
    if (!g || !f) return;
    const b = currentRange();
    if (b && b.lastRow > b.firstRow) {
      // A range: its top row's values down the rest of it, in each editable column of the range.
      const [top, ...below] = displayedRows(b.firstRow, b.lastRow - b.firstRow + 1);
      const cols = b.cols.filter(isEditableColumn);
      if (!top || cols.length === 0) {
        say('Fill down works on the split, exercise and score columns.');
        return;
      }
      const patch = labelValues(top, cols);
      say(null);
      void labelStore.getState().edit(below.map((r) => ({ videoId: r.id, ...patch })), `Fill down ${below.length} row${below.length > 1 ? 's' : ''}`);
      return;
    }
    const colId = f.column.getColId();
    if (!isEditableColumn(colId)) {
      say('Fill down works on the split, exercise and score columns.');
      return;
    }
    const src = g.getDisplayedRowAtIndex(f.rowIndex)?.data;
    if (!src) return;
    const sel = selectedRows().filter((r) => r.id !== src.id);
    let targets: VideoRow[];
    let from = src;
    if (sel.length > 0) targets = sel;
    else {
      // No selection: like a spreadsheet, take the value from the row above.
      const above = f.rowIndex > 0 ? g.getDisplayedRowAtIndex(f.rowIndex - 1)?.data : undefined;
      if (!above) return;
      from = above;
      targets = [src];
    }
    const patch = labelValues(from, [colId]);
    say(null);
    void labelStore.getState().edit(
      targets.map((r) => ({ videoId: r.id, ...patch })),
      `Fill down ${colId} to ${targets.length} row${targets.length > 1 ? 's' : ''}`,
    );
  };

  const bulk = (patch: Omit<LabelEdit, 'videoId'>, what: string) => {
    const sel = selectedRows();
    if (sel.length === 0) return;
    say(null);
    void labelStore.getState().edit(
      sel.map((r) => ({ videoId: r.id, ...patch })),
      `Set ${what} of ${sel.length} rows`,
    );
  };

  // ---- keyboard -----------------------------------------------------------------------------
  const pasteSeen = useRef(false);
  const onGridKeyDown = (e: React.KeyboardEvent) => {
    const g = gridRef.current;
    if (!g) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, .ag-filter') || g.getEditingCells().length > 0) return;
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (e.key === 'Escape' && range.current) {
      setRange(null);
      return;
    }
    if (mod && k === 'c') {
      const tsv = copy();
      if (tsv !== null) {
        pendingCopy.current = tsv;
        navigator.clipboard?.writeText(tsv).catch(() => undefined);
      }
    } else if (mod && k === 'v') {
      pasteSeen.current = false;
      // Fallback when no paste event arrives (some shells): read the clipboard ourselves.
      setTimeout(() => {
        if (!pasteSeen.current) navigator.clipboard?.readText().then(paste, () => undefined);
      }, 150);
    } else if (mod && k === 'd') {
      e.preventDefault();
      fillDown();
    }
  };
  // Capture phase, before the grid moves focus: Shift+↑/↓ extends the row selection from the focused row.
  const onGridKeyDownCapture = (e: React.KeyboardEvent) => {
    // Modifier keys alone say nothing about the next focus move: Ctrl pressed right after a Shift+click
    // must not turn that click's (possibly later) focus event into a plain one.
    if (!MODIFIER_KEYS.has(e.key)) shiftDown.current = e.shiftKey;
    const g = gridRef.current;
    if (!g || g.getEditingCells().length > 0) return;
    if ((e.target as HTMLElement).closest('input, textarea, select')) return;
    if (e.shiftKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const f = g.getFocusedCell();
      if (!f) return;
      g.getDisplayedRowAtIndex(f.rowIndex)?.setSelected(true);
      g.getDisplayedRowAtIndex(f.rowIndex + (e.key === 'ArrowDown' ? 1 : -1))?.setSelected(true);
    }
  };
  const pendingCopy = useRef<string | null>(null);
  const onCopy = (e: React.ClipboardEvent) => {
    if ((e.target as HTMLElement).closest('input, textarea')) return;
    const tsv = pendingCopy.current ?? copy();
    pendingCopy.current = null;
    if (tsv === null) return;
    e.clipboardData.setData('text/plain', tsv);
    e.preventDefault();
    const lines = tsv.split('\n').length;
    const b = currentRange();
    const cols = b ? b.cols.filter((c) => !NOT_COPIED.has(c)).length : 0;
    say(`Copied ${lines} row${lines > 1 ? 's' : ''}${b ? ` × ${cols} column${cols > 1 ? 's' : ''}` : ''}`);
  };
  const onPaste = (e: React.ClipboardEvent) => {
    if ((e.target as HTMLElement).closest('input, textarea')) return;
    pasteSeen.current = true;
    e.preventDefault();
    paste(e.clipboardData.getData('text/plain'));
  };

  // Undo/redo anywhere in the library except text fields.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (gridRef.current && gridRef.current.getEditingCells().length > 0) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) {
        e.preventDefault();
        say(null);
        void labelStore.getState().undo();
      } else if ((k === 'z' && e.shiftKey) || k === 'y') {
        e.preventDefault();
        say(null);
        void labelStore.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [say]);

  const gotoUnlabeled = (dir: 1 | -1) => {
    const g = gridRef.current;
    if (!g) return;
    const n = g.getDisplayedRowCount();
    let start = -1;
    if (previewId !== null) {
      const node = g.getRowNode(String(previewId));
      start = node?.rowIndex ?? -1;
    }
    for (let i = start + dir; i >= 0 && i < n; i += dir) {
      const d = g.getDisplayedRowAtIndex(i)?.data;
      if (d && !isLabeled(d)) {
        g.ensureIndexVisible(i);
        g.setFocusedCell(i, 'score');
        setPreviewId(d.id);
        requestAnimationFrame(() => paneRef.current?.querySelector<HTMLElement>('[data-testid="preview"]')?.focus());
        return;
      }
    }
    say(dir > 0 ? 'No unlabeled video below this one.' : 'No unlabeled video above this one.');
  };

  // ---- toolbar actions -----------------------------------------------------------------------
  const startImport = async () => {
    try {
      await api.call('videos.import', { paths: [importPath.trim()] });
      setImportPath('');
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  const exportCsv = async () => {
    try {
      const r = await api.call('labels.exportCsv', {});
      downloadText(r.csv, 'exercise_scores.csv');
      toast('info', `Exported ${r.rows} rows to exercise_scores.csv`);
    } catch (err) {
      toast('error', `Export failed: ${(err as Error).message}`);
    }
  };
  const generate = async () => {
    try {
      const r = await api.call('labels.generate', {});
      downloadText(r.csv, 'exercise_scores.csv');
      toast('info', `Label file for ${r.rows} videos (${r.guessed} exercise types guessed from names, scores empty). Fill it in and import it.`);
    } catch (err) {
      toast('error', `Could not generate the label file: ${(err as Error).message}`);
    }
  };
  const onApplied = async (applied: number) => {
    setCsvOpen(false);
    labelStore.getState().clearHistory();
    try {
      useApp.setState({ rows: await api.call('videos.list', {}) });
      await useApp.getState().refreshProject();
    } catch {
      // the videos.changed event reloads too
    }
    toast('info', `Imported labels: ${applied} row${applied === 1 ? '' : 's'} changed`);
  };

  // Every prop handed to the grid is stable: a changed option (e.g. a new defaultColDef object) would
  // reset columns and close an open editor on each re-render.
  const gridProps = useMemo(
    () => ({
      getRowId: (p: { data: VideoRow }) => String(p.data.id),
      onGridReady,
      onGridPreDestroyed: () => {
        gridRef.current = null;
        layoutReady.current = false;
      },
      rowSelection,
      singleClickEdit: false,
      enterNavigatesVertically: true,
      enterNavigatesVerticallyAfterEdit: true,
      stopEditingWhenCellsLoseFocus: true,
      animateRows: false,
      rowBuffer: 6,
      defaultColDef: DEFAULT_COL_DEF,
      isExternalFilterPresent: () => JSON.stringify(quickRef.current) !== JSON.stringify(NO_FILTERS),
      doesExternalFilterPass: (n: IRowNode<VideoRow>) => (n.data ? passes(quickRef.current, n.data) : true),
      onCellFocused: (e: CellFocusedEvent<VideoRow>) => {
        if (e.rowIndex == null) return;
        const col = typeof e.column === 'string' ? e.column : e.column?.getColId();
        if (col) {
          const pos = { row: e.rowIndex, col };
          setRange(nextRange(range.current, lastFocus.current, pos, shiftDown.current));
          lastFocus.current = pos;
        }
        const d = gridRef.current?.getDisplayedRowAtIndex(e.rowIndex)?.data;
        if (d) setPreviewId(d.id);
      },
      onCellEditingStopped: () => setTimeout(() => syncGrid(useApp.getState().rows), 0),
      onSelectionChanged: (e: SelectionChangedEvent<VideoRow>) => setSelected(e.api.getSelectedNodes().length),
      onModelUpdated: (e: ModelUpdatedEvent<VideoRow>) => setShown(e.api.getDisplayedRowCount()),
      onColumnMoved: (e: ColumnMovedEvent<VideoRow>) => e.finished && saveLayout(),
      onColumnResized: (e: ColumnResizedEvent<VideoRow>) => e.finished && saveLayout(),
      onSortChanged: saveLayout,
      onFilterChanged: (e: FilterChangedEvent<VideoRow>) => {
        setShown(e.api.getDisplayedRowCount());
        saveLayout();
      },
      onColumnVisible: saveLayout,
      onColumnPinned: saveLayout,
    }),
    [onGridReady, saveLayout, syncGrid, setRange],
  );

  const previewRow = previewId !== null ? (rowById(previewId) ?? null) : null;
  const saveText =
    save.kind === 'saving' ? 'Saving…' : save.kind === 'saved' ? 'All changes saved' : save.kind === 'error' ? 'Save failed' : '';

  return (
    <div className="library fs-library">
      <div className="toolbar">
        <input
          aria-label="Folder or file to import"
          placeholder="Folder or video file to import, e.g. /home/coach/videos"
          value={importPath}
          onChange={(e) => setImportPath(e.target.value)}
          style={{ width: 260 }}
        />
        <button className="primary" disabled={importPath.trim() === ''} onClick={() => void startImport()}>
          Import videos
        </button>
        <span className="fs-sep" />
        <button onClick={() => setCsvOpen(true)} data-testid="csv-import">
          Import CSV…
        </button>
        <button onClick={() => void exportCsv()} data-testid="csv-export" disabled={rows.length === 0}>
          Export CSV
        </button>
        <button onClick={() => void generate()} data-testid="csv-generate" disabled={rows.length === 0} title="One row per video, exercise type guessed from its folder/file name, empty score">
          Generate label file
        </button>
        <span className="fs-sep" />
        <ExtractButton />
        <span className="fs-sep" />
        <button onClick={() => void labelStore.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
          ↶ Undo
        </button>
        <button onClick={() => void labelStore.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z, Ctrl+Y)" data-testid="redo">
          ↷ Redo
        </button>
        <span className="spacer" />
        <span className={`fs-save fs-save-${save.kind}`} data-testid="save-status" role="status">
          {saveText}
        </span>
        <span className="muted" data-testid="library-counts">
          {project ? `${project.counts.videos} videos · ${project.counts.labeled} labeled` : ''}
        </span>
      </div>
      {rows.length === 0 && project === null ? (
        <div className="muted" data-testid="library-loading" style={{ padding: 24 }}>
          Loading the library…
        </div>
      ) : rows.length === 0 ? (
        <div className="empty" data-testid="library-empty">
          <h2>No videos yet</h2>
          <p>Form Studio learns to score exercise form from videos that you label. To begin:</p>
          <ol>
            <li>Import your own videos (.mp4 .mov .avi .mkv): type a folder above and press <b>Import videos</b>.</li>
            <li>Label each clip with its exercise type and a quality score from 0 to 100.</li>
            <li>Train a model in <b>Training</b>, then score athletes in <b>Live</b>.</li>
          </ol>
          <p className="muted">Videos are kept relative to {project?.mediaRoot ?? 'the project folder'}.</p>
        </div>
      ) : (
        <>
          <div className="toolbar fs-filters">
            <input
              type="search"
              placeholder="Search file names"
              aria-label="Search file names"
              data-testid="search"
              value={quick.search}
              onChange={(e) => setQuick({ ...quick, search: e.target.value })}
              style={{ width: 220 }}
            />
            <select aria-label="Filter by exercise type" data-testid="filter-type" value={quick.type} onChange={(e) => setQuick({ ...quick, type: e.target.value as QuickFilters['type'] })}>
              <option value="">All exercises</option>
              <option value="none">No exercise type</option>
              {EXERCISE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {EXERCISE_DISPLAY_NAMES[t]}
                </option>
              ))}
            </select>
            <select aria-label="Filter by split" data-testid="filter-split" value={quick.split} onChange={(e) => setQuick({ ...quick, split: e.target.value as QuickFilters['split'] })}>
              <option value="">Train + test</option>
              <option value="train">Train</option>
              <option value="test">Test</option>
            </select>
            <select aria-label="Filter by label state" data-testid="filter-labeled" value={quick.labeled} onChange={(e) => setQuick({ ...quick, labeled: e.target.value as QuickFilters['labeled'] })}>
              <option value="">Labeled + unlabeled</option>
              <option value="labeled">Labeled</option>
              <option value="unlabeled">Unlabeled</option>
            </select>
            <select aria-label="Filter by pose status" data-testid="filter-pose" value={quick.pose} onChange={(e) => setQuick({ ...quick, pose: e.target.value as QuickFilters['pose'] })}>
              <option value="">Any pose status</option>
              <option value="none">Not extracted</option>
              <option value="extracting">Extracting</option>
              <option value="ok">Pose ok</option>
              <option value="no_pose">No pose</option>
              <option value="error">Pose error</option>
            </select>
            {JSON.stringify(quick) !== JSON.stringify(NO_FILTERS) ? (
              <button className="link" onClick={() => setQuick(NO_FILTERS)}>
                Clear filters
              </button>
            ) : null}
            <span className="spacer" />
            <span className="muted" data-testid="grid-counts">
              {shown} shown of {rows.length}
              {selected > 0 ? ` · ${selected} selected` : ''}
            </span>
          </div>
          {selected > 0 ? (
            <div className="toolbar fs-bulk" data-testid="bulk-bar">
              <b>{selected} selected:</b>
              <select
                aria-label="Set exercise type of selected rows"
                data-testid="bulk-type"
                value=""
                onChange={(e) => {
                  const v = e.target.value;
                  if (v === '') return;
                  bulk({ exerciseType: v === 'none' ? null : (v as ExerciseType) }, 'exercise type');
                }}
              >
                <option value="">Set exercise type…</option>
                {EXERCISE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {EXERCISE_DISPLAY_NAMES[t]}
                  </option>
                ))}
                <option value="none">(clear)</option>
              </select>
              <select
                aria-label="Set split of selected rows"
                data-testid="bulk-split"
                value=""
                onChange={(e) => {
                  const v = e.target.value;
                  if (v === 'train' || v === 'test') bulk({ split: v }, 'split');
                }}
              >
                <option value="">Set split…</option>
                <option value="train">train</option>
                <option value="test">test</option>
              </select>
              <form
                className="fs-inline"
                onSubmit={(e) => {
                  e.preventDefault();
                  const p = parseCell('score', bulkScore);
                  if (!p.ok) {
                    say(`Refused: ${p.message}`);
                    return;
                  }
                  bulk(p.patch, 'score');
                  setBulkScore('');
                }}
              >
                <input aria-label="Score for selected rows" data-testid="bulk-score" placeholder="Score 0–100" value={bulkScore} onChange={(e) => setBulkScore(e.target.value)} style={{ width: 110 }} />
                <button type="submit" data-testid="bulk-score-apply">
                  Set score
                </button>
              </form>
              <button className="link" onClick={() => gridRef.current?.deselectAll()}>
                Clear selection
              </button>
            </div>
          ) : null}
          {message ? (
            <div className="fs-message" role="alert" data-testid="grid-message">
              <span>{message}</span>
              <button className="link" aria-label="Dismiss" onClick={() => say(null)}>
                ✕
              </button>
            </div>
          ) : null}
          <div className="fs-split-view">
            <div
              className="fs-grid"
              data-testid="grid"
              onKeyDown={onGridKeyDown}
              onKeyDownCapture={onGridKeyDownCapture}
              onMouseDownCapture={(e) => {
                shiftDown.current = e.shiftKey;
                // A plain click on a cell ends the range, also on the cell that already has focus.
                if (!e.shiftKey && range.current && (e.target as HTMLElement).closest('.ag-cell')) setRange(null);
              }}
              onCopy={onCopy}
              onPaste={onPaste}
            >
              <AgGridReact<VideoRow> theme={theme} columnDefs={columns} rowData={initialRows.current} {...gridProps} />
            </div>
            <div ref={paneRef} className="fs-pane">
              <PreviewPane
                row={previewRow}
                loadKeypoints={loadKeypoints}
                onScore={(row, score) => void labelStore.getState().edit([{ videoId: row.id, score }], `Score ${row.relPath}`)}
                onNextUnlabeled={gotoUnlabeled}
              />
            </div>
          </div>
        </>
      )}
      {csvOpen ? <CsvImportDialog onClose={() => setCsvOpen(false)} onApplied={(n) => void onApplied(n)} /> : null}
    </div>
  );
}
