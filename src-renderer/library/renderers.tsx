/** Cell renderers and column definitions of the labeling grid. */
import { useState } from 'react';
import type { ColDef, ICellRendererParams, SuppressKeyboardEventParams } from 'ag-grid-community';
import type { VideoRow } from '../../src-shared/domain/video';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { overlayColor } from '../../src-shared/domain/scores';
import { absError, formatScore, poseText } from './cells';
import { ExerciseEditor, ScoreEditor, SplitEditor } from './editors';

/** Thumbnails that 404ed (not generated yet): not asked again until the view reloads (see retryThumbs). */
const missingThumbs = new Set<string>();

export function retryThumbs(): void {
  missingThumbs.clear();
}

export function ThumbCell(p: ICellRendererParams<VideoRow>) {
  const id = p.data?.id ?? null;
  // Thumbnails are keyed by content: a re-import of the same clip finds the same one.
  const hash = p.data?.contentHash ?? null;
  const [failed, setFailed] = useState(() => hash === null || missingThumbs.has(hash));
  if (id === null || !hash || failed) return <div className="fs-thumb placeholder" aria-hidden>▶</div>;
  return (
    <img
      className="fs-thumb"
      alt=""
      loading="lazy"
      decoding="async"
      src={`/media/thumb/${id}?h=${encodeURIComponent(hash)}`}
      onError={() => {
        missingThumbs.add(hash);
        setFailed(true);
      }}
    />
  );
}

function PoseCell(p: ICellRendererParams<VideoRow>) {
  const row = p.data;
  if (!row) return null;
  return (
    <span className={`fs-pose fs-pose-${row.pose.status}`} title={row.pose.message ?? undefined}>
      {poseText(row)}
    </span>
  );
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
const keepEditorKeys = (p: SuppressKeyboardEventParams<VideoRow>) => p.editing && (p.event.key === 'ArrowUp' || p.event.key === 'ArrowDown') && p.column.getColId() === 'exerciseType';

export function buildColumns(commit: CommitFn): ColDef<VideoRow>[] {
  return [
    {
      colId: 'thumb',
      headerName: '',
      width: 76,
      sortable: false,
      resizable: false,
      suppressMovable: false,
      cellRenderer: ThumbCell,
      cellClass: 'fs-thumb-cell',
    },
    { colId: 'relPath', field: 'relPath', headerName: 'File', minWidth: 200, flex: 2, filter: 'agTextColumnFilter', tooltipField: 'relPath' },
    {
      colId: 'split',
      headerName: 'Split',
      width: 90,
      valueGetter: (p) => p.data?.split,
      editable: true,
      cellEditor: SplitEditor,
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
      cellEditorPopup: true,
      cellEditorPopupPosition: 'under',
      suppressKeyboardEvent: keepEditorKeys,
      valueSetter: (p) => {
        if (p.data) commit(p.data, 'exerciseType', p.newValue);
        return false;
      },
      comparator: (a: ExerciseType | null, b: ExerciseType | null) => (a ? EXERCISE_TYPES.indexOf(a) : 99) - (b ? EXERCISE_TYPES.indexOf(b) : 99),
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
      cellEditorPopup: true,
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
      cellRenderer: (p: ICellRendererParams<VideoRow>) =>
        p.data?.label.labeledBy ? (
          <span title={p.data.label.updatedAt ?? undefined}>
            {p.data.label.labeledBy} <span className="muted">· {timeAgo(p.data.label.updatedAt)}</span>
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      colId: 'pose',
      headerName: 'Pose',
      width: 150,
      valueGetter: (p) => p.data?.pose.status ?? 'none',
      cellRenderer: PoseCell,
      filter: 'agTextColumnFilter',
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
