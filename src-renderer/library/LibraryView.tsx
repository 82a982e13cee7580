/**
 * The labeling grid: coaches label hundreds of videos by keyboard, with nothing ever lost.
 *
 * Rows live in the app store; the grid gets them once and then only transactions (use-grid-sync), so
 * 10,000 rows stay smooth. Every accepted edit goes through the label store (labels.ts): shown at once,
 * saved at once (labels.edit, one transaction), replaced by the row as saved, undoable. Layout, cell
 * range, keys and clipboard live in their own hooks and modules; this file wires them to the grid.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  colorSchemeDarkBlue,
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
} from 'ag-grid-community';
import { useApp } from '../app/store';
import { api } from '../api/client';
import type { LabelEdit } from '../../src-shared/api/contract';
import type { VideoRow } from '../../src-shared/domain/video';
import { isExerciseType } from '../../src-shared/domain/exercises';
import { validateScore } from '../../src-shared/domain/scores';
import { buildColumns, retryThumbs, type CommitFn } from './renderers';
import { labelStore, rowById, useLabels } from './labels';
import { PreviewPane, type KeypointsLoader, type PreviewControls, apiKeypoints } from './PreviewPane';
import { ShortcutHelp } from './ShortcutHelp';
import { useDropImport } from './use-drop-import';
import { CsvImportDialog } from './CsvDialog';
import type { FolderCsv } from './folder-labels';
import { useGridSync } from './use-grid-sync';
import { NO_FILTERS, isLabeled, passes, useLayout } from './use-layout';
import { DEFAULT_COL_DEF, useCellRange } from './use-cell-range';
import { snapshotOf, useGridKeys } from './use-grid-keys';
import { LibraryToolbar } from './LibraryToolbar';
import { BulkBar, FilterBar } from './GridBars';

ModuleRegistry.registerModules([AllCommunityModule]);
const theme = themeQuartz.withPart(colorSchemeDarkBlue).withParams({ rowHeight: 44, headerHeight: 36, fontSize: 13 });

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
  const importing = useApp(
    (s) => Object.values(s.jobs).find((j) => j.kind === 'import' && j.state === 'running') ?? null,
  );
  const gridRef = useRef<GridApi<VideoRow> | null>(null);
  const [selected, setSelected] = useState(0);
  const [shown, setShown] = useState(0);
  const [previewId, setPreviewId] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [csvOpen, setCsvOpen] = useState(false);
  const [folderCsv, setFolderCsv] = useState<FolderCsv | null>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const save = useLabels((s) => s.save);

  const say = useCallback((m: string | null) => setMessage(m), []);
  const layoutError = useCallback((m: string) => toast('error', m), [toast]);
  const { quick, setQuick, quickRef, layoutReady, saveLayout, restoreLayout } = useLayout(gridRef, layoutError);
  const { range, shiftDown, currentRange, setRange, focusMoved } = useCellRange(gridRef);
  const { inGrid, syncGrid } = useGridSync(gridRef, rows, setShown);
  const drop = useDropImport();
  const preview = useRef<PreviewControls | null>(null);
  const [help, setHelp] = useState(false);
  const showHelp = useCallback(() => setHelp((h) => !h), []);

  // Thumbnails made while an import runs show at once (their rows' content does not change).
  useEffect(
    () => api.onEvent((e) => e.type === 'videos.changed' && e.videoIds !== 'all' && retryThumbs(e.videoIds)),
    [],
  );

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
      restoreLayout(e.api, () => setShown(e.api.getDisplayedRowCount()));
      // Start on the first row, ready for the keyboard.
      const first = e.api.getDisplayedRowAtIndex(0);
      if (first?.data) {
        e.api.setFocusedCell(0, 'score');
        setPreviewId(first.data.id);
      }
    },
    [syncGrid, inGrid, restoreLayout],
  );

  const bulk = (patch: Omit<LabelEdit, 'videoId'>, what: string) => {
    const g = gridRef.current;
    const sel = g ? snapshotOf(g, null).selected : [];
    if (sel.length === 0) return;
    say(null);
    void labelStore.getState().edit(
      sel.map((r) => ({ videoId: r.id, ...patch })),
      `Set ${what} of ${sel.length} rows`,
    );
  };

  /** The next/previous unlabeled row; from the preview, focus goes back to the preview (to type its score). */
  const gotoUnlabeled = (dir: 1 | -1, fromPreview = true) => {
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
        g.setFocusedCell(i, fromPreview ? 'score' : (g.getFocusedCell()?.column ?? 'score'));
        setPreviewId(d.id);
        if (fromPreview)
          requestAnimationFrame(() => paneRef.current?.querySelector<HTMLElement>('[data-testid="preview"]')?.focus());
        return;
      }
    }
    say(dir > 0 ? 'No unlabeled video below this one.' : 'No unlabeled video above this one.');
  };
  const keys = useGridKeys({
    gridRef,
    range,
    shiftDown,
    currentRange,
    setRange,
    say,
    gotoUnlabeled: (dir) => gotoUnlabeled(dir, false),
    playPause: () => preview.current?.togglePlay(),
    toggleLarge: () => preview.current?.toggleLarge(),
    showHelp,
  });

  const onApplied = async (applied: number) => {
    setCsvOpen(false);
    setFolderCsv(null);
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
        if (col) focusMoved({ row: e.rowIndex, col });
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
    [onGridReady, saveLayout, syncGrid, focusMoved, quickRef, layoutReady],
  );

  const previewRow = previewId !== null ? (rowById(previewId) ?? null) : null;

  return (
    <div
      className={drop.dragging ? 'library fs-library fs-dropping' : 'library fs-library'}
      {...drop.dropProps}
      data-testid="library"
    >
      <LibraryToolbar
        onCsvImport={() => setCsvOpen(true)}
        onFolderCsv={(found) => {
          setFolderCsv(found);
          setCsvOpen(true);
        }}
      />
      {drop.upload ? (
        <div className="toolbar fs-upload" data-testid="upload-progress">
          Uploading {drop.upload.done}/{drop.upload.files} video{drop.upload.files === 1 ? '' : 's'}
          <progress max={1} value={drop.upload.bytes ? drop.upload.sent / drop.upload.bytes : undefined} />
          {drop.upload.bytes ? `${Math.round((100 * drop.upload.sent) / drop.upload.bytes)} %` : ''}
        </div>
      ) : null}
      {rows.length === 0 && project === null ? (
        <div className="muted" data-testid="library-loading" style={{ padding: 24 }}>
          Loading the library…
        </div>
      ) : rows.length === 0 ? (
        <div className="empty" data-testid="library-empty">
          {importing ? (
            <h2 data-testid="library-importing">
              Importing videos… {importing.progress != null ? `${Math.round(importing.progress * 100)} %` : ''}
              <br />
              <small className="muted">{importing.message ?? ''} · rows appear here as they are added</small>
            </h2>
          ) : (
            <h2>No videos yet</h2>
          )}
          <p>Form Studio learns to score exercise form from videos that you label. To begin:</p>
          <ol>
            <li>
              Import your own videos (.mp4 .mov .avi .mkv): type a folder above and press <b>Enter</b>, choose one with{' '}
              <b>Browse…</b>, or drop videos and folders here.
            </li>
            <li>Label each clip with its exercise type and a quality score from 0 to 100.</li>
            <li>
              Train a model in <b>Training</b>, then score athletes in <b>Live</b>.
            </li>
          </ol>
          <p className="muted">Videos are kept relative to {project?.mediaRoot ?? 'the project folder'}.</p>
        </div>
      ) : (
        <>
          <FilterBar quick={quick} setQuick={setQuick} shown={shown} total={rows.length} selected={selected} />
          {selected > 0 ? (
            <BulkBar selected={selected} bulk={bulk} say={say} clearSelection={() => gridRef.current?.deselectAll()} />
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
              onKeyDown={keys.onGridKeyDown}
              onKeyDownCapture={keys.onGridKeyDownCapture}
              onMouseDownCapture={keys.onMouseDownCapture}
              onCopy={keys.onCopy}
              onPaste={keys.onPaste}
            >
              <AgGridReact<VideoRow> theme={theme} columnDefs={columns} rowData={initialRows.current} {...gridProps} />
            </div>
            <div ref={paneRef} className="fs-pane">
              <PreviewPane
                row={previewRow}
                controls={preview}
                loadKeypoints={loadKeypoints}
                onScore={(row, score) =>
                  void labelStore.getState().edit([{ videoId: row.id, score }], `Score ${row.relPath}`)
                }
                onNextUnlabeled={gotoUnlabeled}
              />
            </div>
          </div>
        </>
      )}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      {csvOpen ? (
        <CsvImportDialog
          found={folderCsv}
          onClose={() => {
            setCsvOpen(false);
            setFolderCsv(null);
          }}
          onApplied={(n) => void onApplied(n)}
        />
      ) : null}
    </div>
  );
}
