/** Cell renderers and column definitions of the labeling grid. */
import type { ColDef, ICellRendererComp, ICellRendererParams, SuppressKeyboardEventParams } from 'ag-grid-community';
import type { VideoRow } from '../../src-shared/domain/video';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { overlayColor } from '../../src-shared/domain/scores';
import { absError, formatScore, poseText } from './cells';
import { ExerciseEditor, ScoreEditor, SplitEditor } from './editors';
import { mediaUrlPath } from '../../src-shared/api/media-url';

/** Thumbnails that 404ed (not generated yet), with when: asked again after a while, never in a scroll burst. */
const missingThumbs = new Map<string, number>();
const RETRY_MISSING_MS = 30_000;
/** Wait this long before loading a thumbnail, so a fast scroll does not fire hundreds of requests. */
const THUMB_DELAY_MS = 120;

/** Thumbnail cells on screen, so a thumbnail made meanwhile (during an import) shows without a reload. */
const liveThumbs = new Set<ThumbRenderer>();

/** The videos changed (e.g. their thumbnails were just made): cells still showing a placeholder ask again. */
export function retryThumbs(videoIds: readonly number[]): void {
  const ids = new Set(videoIds);
  for (const t of liveThumbs) t.retry(ids);
}

/**
 * Thumbnail cell: a plain DOM renderer (no React per cell, so scrolling 10,000 rows stays cheap). Loads
 * `/media/thumb/<id>` lazily after the row has been on screen briefly; shows a placeholder until then
 * and when there is no thumbnail (404).
 */
export class ThumbRenderer implements ICellRendererComp<VideoRow> {
  private el = document.createElement('div');
  private timer: ReturnType<typeof setTimeout> | null = null;
  private key = '';
  private row: VideoRow | undefined;
  private loaded = false;
  private tries = 0;

  init(p: ICellRendererParams<VideoRow>): void {
    this.el.className = 'fs-thumb-box';
    liveThumbs.add(this);
    this.show(p.data);
  }
  retry(ids: Set<number>): void {
    const row = this.row;
    if (!row || this.loaded || !ids.has(row.id)) return;
    if (row.contentHash) missingThumbs.delete(row.contentHash);
    this.tries++;
    this.key = '';
    this.show(row);
  }
  getGui(): HTMLElement {
    return this.el;
  }
  refresh(p: ICellRendererParams<VideoRow>): boolean {
    this.show(p.data);
    return true;
  }
  destroy(): void {
    liveThumbs.delete(this);
    if (this.timer) clearTimeout(this.timer);
  }

  private placeholder(): void {
    this.el.innerHTML = '<div class="fs-thumb placeholder" aria-hidden="true">▶</div>';
  }

  private show(row: VideoRow | undefined): void {
    const hash = row?.contentHash ?? null;
    const key = row && hash ? `${row.id}:${hash}` : '';
    this.row = row;
    if (key === this.key && this.el.firstChild) return;
    this.key = key;
    this.loaded = false;
    if (this.timer) clearTimeout(this.timer);
    this.placeholder();
    if (!row || !hash) return;
    const failedAt = missingThumbs.get(hash);
    if (failedAt !== undefined && Date.now() - failedAt < RETRY_MISSING_MS) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const img = new Image();
      img.className = 'fs-thumb';
      img.alt = '';
      img.decoding = 'async';
      img.onload = () => {
        if (this.key === key) {
          this.loaded = true;
          this.el.replaceChildren(img);
        }
      };
      img.onerror = () => missingThumbs.set(hash, Date.now());
      // Content-keyed: the same clip imported again finds its thumbnail.
      // (A retry gets its own URL: the 404 of the first try may be cached.)
      img.src = `${mediaUrlPath('thumb', row.id)}?h=${encodeURIComponent(hash)}${this.tries ? `&try=${this.tries}` : ''}`;
    }, THUMB_DELAY_MS);
  }
}

/** File cell: folder muted and shrinking first, so the file name stays readable in a narrow column. */
export class PathRenderer implements ICellRendererComp<VideoRow> {
  private el = document.createElement('span');
  init(p: ICellRendererParams<VideoRow>): void {
    this.el.className = 'fs-path';
    this.refresh(p);
  }
  getGui(): HTMLElement {
    return this.el;
  }
  refresh(p: ICellRendererParams<VideoRow>): boolean {
    const rel = p.data?.relPath ?? '';
    const cut = rel.lastIndexOf('/') + 1;
    const dir = document.createElement('span');
    dir.className = 'fs-path-dir';
    dir.textContent = rel.slice(0, cut);
    const base = document.createElement('span');
    base.className = 'fs-path-base';
    base.textContent = rel.slice(cut);
    this.el.replaceChildren(dir, base);
    return true;
  }
}

function timeAgo(iso: string | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

export type CommitFn = (row: VideoRow, colId: 'split' | 'exerciseType' | 'score', value: unknown) => void;

/** While editing, the editor decides about Enter/Tab (it keeps them when the value is invalid). */
const keepEditorKeys = (p: SuppressKeyboardEventParams<VideoRow>) =>
  p.editing &&
  (p.event.key === 'ArrowUp' || p.event.key === 'ArrowDown') &&
  (p.column.getColId() === 'exerciseType' || p.column.getColId() === 'split');

export function buildColumns(commit: CommitFn): ColDef<VideoRow>[] {
  return [
    {
      colId: 'thumb',
      headerName: '',
      width: 76,
      sortable: false,
      resizable: false,
      suppressMovable: false,
      cellRenderer: ThumbRenderer,
      cellClass: 'fs-thumb-cell',
    },
    {
      colId: 'relPath',
      field: 'relPath',
      headerName: 'File',
      minWidth: 200,
      flex: 2,
      filter: 'agTextColumnFilter',
      tooltipField: 'relPath',
      cellRenderer: PathRenderer,
    },
    {
      colId: 'split',
      headerName: 'Split',
      width: 90,
      valueGetter: (p) => p.data?.split,
      editable: true,
      cellEditor: SplitEditor,
      suppressKeyboardEvent: keepEditorKeys,
      valueSetter: (p) => {
        if (p.data) commit(p.data, 'split', p.newValue);
        return false;
      },
      filter: 'agTextColumnFilter',
    },
    {
      colId: 'duration',
      headerName: 'Duration',
      width: 100,
      valueGetter: (p) => p.data?.durationSec ?? null,
      valueFormatter: (p) => (p.value == null ? '—' : `${(p.value as number).toFixed(1)} s`),
      filter: 'agNumberColumnFilter',
      type: 'rightAligned',
    },
    {
      colId: 'exerciseType',
      headerName: 'Exercise',
      width: 160,
      valueGetter: (p) => p.data?.label.exerciseType ?? null,
      valueFormatter: (p) => (p.value ? EXERCISE_DISPLAY_NAMES[p.value as ExerciseType] : ''),
      editable: true,
      cellEditor: ExerciseEditor,
      suppressKeyboardEvent: keepEditorKeys,
      valueSetter: (p) => {
        if (p.data) commit(p.data, 'exerciseType', p.newValue);
        return false;
      },
      comparator: (a: ExerciseType | null, b: ExerciseType | null) =>
        (a ? EXERCISE_TYPES.indexOf(a) : 99) - (b ? EXERCISE_TYPES.indexOf(b) : 99),
      filter: 'agTextColumnFilter',
      filterValueGetter: (p) => (p.data?.label.exerciseType ? EXERCISE_DISPLAY_NAMES[p.data.label.exerciseType] : ''),
    },
    {
      colId: 'score',
      headerName: 'Score',
      width: 96,
      valueGetter: (p) => p.data?.label.score ?? null,
      valueFormatter: (p) => formatScore(p.value as number | null),
      cellClass: (p) => (p.value == null ? 'fs-score' : `fs-score score-${overlayColor(p.value as number)}`),
      editable: true,
      cellEditor: ScoreEditor,
      valueSetter: (p) => {
        if (p.data) commit(p.data, 'score', p.newValue);
        return false;
      },
      filter: 'agNumberColumnFilter',
      type: 'rightAligned',
    },
    {
      colId: 'labeled',
      headerName: 'Labeled',
      width: 150,
      valueGetter: (p) => p.data?.label.updatedAt ?? null,
      valueFormatter: (p) =>
        p.data?.label.labeledBy ? `${p.data.label.labeledBy} · ${timeAgo(p.data.label.updatedAt)}` : '—',
      tooltipValueGetter: (p) => p.data?.label.updatedAt ?? null,
      cellClass: 'fs-labeled',
    },
    {
      colId: 'pose',
      headerName: 'Pose',
      width: 150,
      valueGetter: (p) => p.data?.pose.status ?? 'none',
      valueFormatter: (p) => (p.data ? poseText(p.data) : ''),
      tooltipValueGetter: (p) => p.data?.pose.message ?? null,
      cellClass: (p) => `fs-pose fs-pose-${p.data?.pose.status ?? 'none'}`,
      filter: 'agTextColumnFilter',
      filterValueGetter: (p) => (p.data ? poseText(p.data) : ''),
    },
    {
      colId: 'predScore',
      headerName: 'Predicted',
      width: 104,
      valueGetter: (p) => p.data?.prediction?.score ?? null,
      valueFormatter: (p) => (p.value == null ? '—' : (p.value as number).toFixed(1)),
      filter: 'agNumberColumnFilter',
      type: 'rightAligned',
    },
    {
      colId: 'predExercise',
      headerName: 'Predicted exercise',
      width: 170,
      valueGetter: (p) => p.data?.prediction?.exerciseType ?? null,
      valueFormatter: (p) => {
        const pr = p.data?.prediction;
        if (!pr?.exerciseType) return '—';
        return `${EXERCISE_DISPLAY_NAMES[pr.exerciseType]}${pr.confidence != null ? ` (${Math.round(pr.confidence * 100)}%)` : ''}`;
      },
    },
    {
      colId: 'absError',
      headerName: '|Error|',
      width: 92,
      valueGetter: (p) => (p.data ? absError(p.data) : null),
      valueFormatter: (p) => (p.value == null ? '—' : (p.value as number).toFixed(1)),
      filter: 'agNumberColumnFilter',
      type: 'rightAligned',
    },
  ];
}
