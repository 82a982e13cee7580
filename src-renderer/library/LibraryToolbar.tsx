/** The library's top toolbar: import videos, CSV in/out, extract keypoints, undo/redo, save state. */
import { useState } from 'react';
import { useApp } from '../app/store';
import { api } from '../api/client';
import { labelStore, useLabels } from './labels';
import { downloadText } from './CsvDialog';
import { useExtraction } from '../pose/extraction-store';
import { FolderBrowser, rememberFolder } from './FolderBrowser';
import { offerFolderLabels, type FolderCsv } from './folder-labels';

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

export function LibraryToolbar({
  onCsvImport,
  onFolderCsv,
}: {
  onCsvImport(): void;
  onFolderCsv(found: FolderCsv): void;
}) {
  const rows = useApp((s) => s.rows);
  const project = useApp((s) => s.project);
  const toast = useApp((s) => s.toast);
  const [importPath, setImportPath] = useState('');
  const [importSplit, setImportSplit] = useState<'train' | 'test'>('train');
  const [browsing, setBrowsing] = useState(false);
  const save = useLabels((s) => s.save);
  const canUndo = useLabels((s) => s.undoStack.length > 0);
  const canRedo = useLabels((s) => s.redoStack.length > 0);

  const startImport = async (path = importPath.trim()) => {
    try {
      const { jobId } = await api.call('videos.import', { paths: [path], split: importSplit });
      offerFolderLabels(jobId, path, onFolderCsv, (m) => toast('error', m));
      setImportPath('');
      void rememberFolder(path);
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
      toast(
        'info',
        `Label file for ${r.rows} videos (${r.guessed} exercise types guessed from names, scores empty). Fill it in and import it.`,
      );
    } catch (err) {
      toast('error', `Could not generate the label file: ${(err as Error).message}`);
    }
  };

  const saveText =
    save.kind === 'saving'
      ? 'Saving…'
      : save.kind === 'saved'
        ? 'All changes saved'
        : save.kind === 'error'
          ? 'Save failed'
          : '';

  return (
    <div className="toolbar">
      <form
        className="fs-inline"
        onSubmit={(e) => {
          // Enter in the path field imports, like the button.
          e.preventDefault();
          if (importPath.trim() !== '') void startImport();
        }}
      >
        <input
          aria-label="Folder or file to import"
          data-testid="import-path"
          placeholder="Folder or video file to import, e.g. /home/coach/videos"
          value={importPath}
          onChange={(e) => setImportPath(e.target.value)}
          style={{ width: 190 }}
        />
        <select
          aria-label="Split of imported videos"
          data-testid="import-split"
          value={importSplit}
          onChange={(e) => setImportSplit(e.target.value as 'train' | 'test')}
          title="Split of the new videos. Folders named train/ or test/ (the toolkit's layout) keep deciding for the videos inside them."
        >
          <option value="train">into train</option>
          <option value="test">into test</option>
        </select>
        <button
          type="button"
          onClick={() => setBrowsing(true)}
          data-testid="import-browse"
          title="Choose a folder or video on this computer"
        >
          Browse…
        </button>
        <button type="submit" className="primary" disabled={importPath.trim() === ''} data-testid="import-start">
          Import videos
        </button>
      </form>
      {browsing ? (
        <FolderBrowser
          onClose={() => setBrowsing(false)}
          onChoose={(p) => {
            setBrowsing(false);
            void startImport(p);
          }}
        />
      ) : null}
      <span className="fs-sep" />
      <button onClick={onCsvImport} data-testid="csv-import">
        Import CSV…
      </button>
      <button onClick={() => void exportCsv()} data-testid="csv-export" disabled={rows.length === 0}>
        Export CSV
      </button>
      <button
        onClick={() => void generate()}
        data-testid="csv-generate"
        disabled={rows.length === 0}
        title="One row per video, exercise type guessed from its folder/file name, empty score"
      >
        Generate label file
      </button>
      <span className="fs-sep" />
      <ExtractButton />
      <span className="fs-sep" />
      <button
        onClick={() => void labelStore.getState().undo()}
        disabled={!canUndo}
        title="Undo (Ctrl+Z)"
        data-testid="undo"
      >
        ↶ Undo
      </button>
      <button
        onClick={() => void labelStore.getState().redo()}
        disabled={!canRedo}
        title="Redo (Ctrl+Shift+Z, Ctrl+Y)"
        data-testid="redo"
      >
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
  );
}
