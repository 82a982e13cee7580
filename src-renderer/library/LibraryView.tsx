import { useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import { AllCommunityModule, ModuleRegistry, themeQuartz, colorSchemeDarkBlue, type ColDef } from 'ag-grid-community';
import { useApp } from '../app/store';
import { api } from '../api/client';
import type { VideoRow } from '../../src-shared/domain/video';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { overlayColor } from '../../src-shared/domain/scores';

ModuleRegistry.registerModules([AllCommunityModule]);
const theme = themeQuartz.withPart(colorSchemeDarkBlue);

export function LibraryView() {
  const { rows, project, toast } = useApp();
  const [importPath, setImportPath] = useState('');

  const columns = useMemo<ColDef<VideoRow>[]>(
    () => [
      { field: 'relPath', headerName: 'File', flex: 2, minWidth: 220, filter: true },
      { field: 'split', headerName: 'Split', width: 90, filter: true },
      {
        headerName: 'Duration',
        width: 100,
        valueGetter: (p) => (p.data?.durationSec != null ? p.data.durationSec : null),
        valueFormatter: (p) => (p.value == null ? '—' : `${(p.value as number).toFixed(1)} s`),
      },
      {
        headerName: 'Exercise',
        width: 150,
        valueGetter: (p) => p.data?.label.exerciseType ?? null,
        valueFormatter: (p) => (p.value ? EXERCISE_DISPLAY_NAMES[p.value as ExerciseType] : ''),
        editable: true,
        cellEditor: 'agSelectCellEditor',
        cellEditorParams: { values: [...EXERCISE_TYPES] },
        valueSetter: () => false,
        filter: true,
      },
      {
        headerName: 'Score',
        width: 100,
        valueGetter: (p) => p.data?.label.score ?? null,
        cellClass: (p) => (p.value == null ? '' : `score-${overlayColor(p.value as number)}`),
        editable: true,
        valueSetter: () => false,
      },
      {
        headerName: 'Status',
        flex: 1,
        minWidth: 160,
        valueGetter: (p) => (p.data?.status === 'error' ? `⚠ ${p.data.errorMessage ?? p.data.errorCode}` : p.data?.status),
      },
    ],
    [],
  );

  const startImport = async () => {
    try {
      await api.call('videos.import', { paths: [importPath.trim()] });
      setImportPath('');
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  return (
    <div className="library">
      <div className="toolbar">
        <input
          aria-label="Folder or file to import"
          placeholder="Folder or video file to import, e.g. /home/coach/videos"
          value={importPath}
          onChange={(e) => setImportPath(e.target.value)}
          style={{ width: 420 }}
        />
        <button className="primary" disabled={importPath.trim() === ''} onClick={() => void startImport()}>
          Import videos
        </button>
        <span className="spacer" />
        <span className="muted" data-testid="library-counts">
          {project ? `${project.counts.videos} videos · ${project.counts.labeled} labeled` : ''}
        </span>
      </div>
      {rows.length === 0 ? (
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
        <div style={{ height: 'calc(100vh - 160px)' }}>
          <AgGridReact<VideoRow> theme={theme} rowData={rows} columnDefs={columns} getRowId={(p) => String(p.data.id)} />
        </div>
      )}
    </div>
  );
}
