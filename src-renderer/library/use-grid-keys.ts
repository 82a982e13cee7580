/**
 * Keyboard and clipboard of the labeling grid: Ctrl+C/V/D over the grid (copy, paste, fill down via the
 * pure clipboard module), Shift+↑/↓ row selection, Escape ending a cell range, J/K/Space/F/? (before the
 * grid sees them, so they never start an edit), and undo/redo anywhere in the library except text
 * fields. Keys are looked up in the one shortcut table (shortcuts.ts) that the "?" overlay lists.
 */
import { useCallback, useEffect, useRef, type MutableRefObject } from 'react';
import type { GridApi, IRowNode } from 'ag-grid-community';
import type { VideoRow } from '../../src-shared/domain/video';
import type { CellRange, RangeBounds } from './cell-range';
import {
  NOT_COPIED,
  copiedMessage,
  copyText,
  planFillDown,
  planPaste,
  type ClipboardAction,
  type GridSnapshot,
} from './clipboard';
import { labelStore } from './labels';
import { shortcutFor } from './shortcuts';

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Meta', 'Alt']);

/** What the grid shows now, for the clipboard functions. */
export function snapshotOf(g: GridApi<VideoRow>, range: RangeBounds | null): GridSnapshot {
  const selected: VideoRow[] = [];
  g.forEachNodeAfterFilterAndSort((n: IRowNode<VideoRow>) => {
    if (n.isSelected() && n.data) selected.push(n.data);
  });
  const f = g.getFocusedCell();
  return {
    rows(from, count) {
      const out: VideoRow[] = [];
      const n = g.getDisplayedRowCount();
      for (let i = from; i < n && out.length < count; i++) {
        const d = g.getDisplayedRowAtIndex(i)?.data;
        if (d) out.push(d);
      }
      return out;
    },
    columns: g
      .getAllDisplayedColumns()
      .map((c) => c.getColId())
      .filter((id) => !NOT_COPIED.has(id)),
    selected,
    focused: f ? { rowIndex: f.rowIndex, colId: f.column.getColId() } : null,
    range,
    headerName: (colId) => g.getColumn(colId)?.getColDef().headerName ?? colId,
  };
}

interface Deps {
  gridRef: MutableRefObject<GridApi<VideoRow> | null>;
  range: MutableRefObject<CellRange | null>;
  shiftDown: MutableRefObject<boolean>;
  currentRange(): RangeBounds | null;
  setRange(next: CellRange | null): void;
  say(message: string | null): void;
  /** J/K: the next/previous unlabeled row. */
  gotoUnlabeled(dir: 1 | -1): void;
  playPause(): void;
  toggleLarge(): void;
  showHelp(): void;
}

export function useGridKeys({
  gridRef,
  range,
  shiftDown,
  currentRange,
  setRange,
  say,
  gotoUnlabeled,
  playPause,
  toggleLarge,
  showHelp,
}: Deps) {
  const snapshot = (): GridSnapshot | null => (gridRef.current ? snapshotOf(gridRef.current, currentRange()) : null);
  const apply = (a: ClipboardAction) => {
    if (a.kind === 'message') say(a.message);
    else if (a.kind === 'edit') {
      say(null);
      void labelStore.getState().edit(a.edits, a.label);
    }
  };
  const copy = (): string | null => {
    const s = snapshot();
    return s ? copyText(s) : null;
  };
  const paste = (text: string) => {
    const s = snapshot();
    if (!s) {
      say('Click a cell first: a paste starts at the focused cell.');
      return;
    }
    apply(planPaste(s, text));
  };
  const fillDown = () => {
    const s = snapshot();
    if (s) apply(planFillDown(s));
  };

  const pasteSeen = useRef(false);
  const pendingCopy = useRef<string | null>(null);
  const onGridKeyDown = (e: React.KeyboardEvent) => {
    const g = gridRef.current;
    if (!g) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, .ag-filter') || g.getEditingCells().length > 0) return;
    const id = shortcutFor(e, 'grid');
    if (id === 'endRange' && range.current) {
      setRange(null);
      return;
    }
    if (id === 'copy') {
      const tsv = copy();
      if (tsv !== null) {
        pendingCopy.current = tsv;
        navigator.clipboard?.writeText(tsv).catch(() => undefined);
      }
    } else if (id === 'paste') {
      pasteSeen.current = false;
      // Fallback when no paste event arrives (some shells): read the clipboard ourselves.
      setTimeout(() => {
        if (!pasteSeen.current) navigator.clipboard?.readText().then(paste, () => undefined);
      }, 150);
    } else if (id === 'fillDown') {
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
    // Navigation and preview keys are taken here, before the grid would start an edit with them.
    const id = shortcutFor(e, 'grid');
    const act =
      id === 'nextUnlabeled'
        ? () => gotoUnlabeled(1)
        : id === 'prevUnlabeled'
          ? () => gotoUnlabeled(-1)
          : id === 'playPause'
            ? playPause
            : id === 'enlarge'
              ? toggleLarge
              : id === 'help'
                ? showHelp
                : null;
    if (act) {
      e.preventDefault();
      e.stopPropagation();
      act();
      return;
    }
    if (e.shiftKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const f = g.getFocusedCell();
      if (!f) return;
      g.getDisplayedRowAtIndex(f.rowIndex)?.setSelected(true);
      g.getDisplayedRowAtIndex(f.rowIndex + (e.key === 'ArrowDown' ? 1 : -1))?.setSelected(true);
    }
  };
  const onCopy = (e: React.ClipboardEvent) => {
    if ((e.target as HTMLElement).closest('input, textarea')) return;
    const tsv = pendingCopy.current ?? copy();
    pendingCopy.current = null;
    if (tsv === null) return;
    e.clipboardData.setData('text/plain', tsv);
    e.preventDefault();
    say(copiedMessage(tsv, currentRange()));
  };
  const onPaste = (e: React.ClipboardEvent) => {
    if ((e.target as HTMLElement).closest('input, textarea')) return;
    pasteSeen.current = true;
    e.preventDefault();
    paste(e.clipboardData.getData('text/plain'));
  };
  const onMouseDownCapture = useCallback(
    (e: React.MouseEvent) => {
      shiftDown.current = e.shiftKey;
      // A plain click on a cell ends the range, also on the cell that already has focus.
      if (!e.shiftKey && range.current && (e.target as HTMLElement).closest('.ag-cell')) setRange(null);
    },
    [shiftDown, range, setRange],
  );

  // Undo/redo anywhere in the library except text fields.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const id = shortcutFor(e, 'library');
      if (!id) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (gridRef.current && gridRef.current.getEditingCells().length > 0) return;
      if (id === 'help') {
        e.preventDefault();
        showHelp();
      } else if (id === 'undo') {
        e.preventDefault();
        say(null);
        void labelStore.getState().undo();
      } else if (id === 'redo') {
        e.preventDefault();
        say(null);
        void labelStore.getState().redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [say, gridRef, showHelp]);

  return { onGridKeyDown, onGridKeyDownCapture, onCopy, onPaste, onMouseDownCapture };
}
