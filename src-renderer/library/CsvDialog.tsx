/**
 * Import of the toolkit's exercise_scores.csv: preview first (counts, changes, how each path matched,
 * line-numbered errors), apply on confirm. Opened with `found` after importing a folder that holds one.
 */
import { useEffect, useRef, useState } from 'react';
import type { LabelCsvPreview } from '../../src-shared/labels/csv';
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../../src-shared/domain/exercises';
import { api } from '../api/client';
import { formatScore } from './cells';
import type { FolderCsv } from './folder-labels';
import { Modal } from '../app/Modal';

interface Props {
  /** The label file found in a folder just imported (its paths are relative to `dataRoot`). */
  found?: FolderCsv | null;
  onClose(): void;
  onApplied(applied: number): void;
}

const SHOWN_CHANGES = 300;

function labelText(v: { exerciseType: ExerciseType | null; score: number | null } | null): string {
  if (!v) return '—';
  return `${v.exerciseType ? EXERCISE_DISPLAY_NAMES[v.exerciseType] : '(no type)'} · ${v.score == null ? '(no score)' : formatScore(v.score)}`;
}

type Change = LabelCsvPreview['changes'][number];

function changeText(c: Change): string {
  if (c.kind === 'unknown_path') return 'unknown path (skipped)';
  if (c.kind === 'ambiguous_path') return `ambiguous (skipped): ${(c.candidates ?? []).join(' or ')}`;
  return c.matchedBy === 'file_name' ? `${c.kind}, matched by file name only: ${c.videoPath}` : c.kind;
}

export function CsvImportDialog({ found, onClose, onApplied }: Props) {
  const [fileName, setFileName] = useState<string | null>(found?.path ?? null);
  const [csv, setCsv] = useState<string | null>(null);
  const [csvDir, setCsvDir] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<LabelCsvPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialogRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const load = async (name: string, read: () => Promise<string>, dir?: string) => {
    setPreview(null);
    setError(null);
    setCsv(null);
    setFileName(name);
    setCsvDir(dir);
    setBusy(true);
    try {
      const text = await read();
      setCsv(text);
      setPreview(await api.call('labels.previewCsv', { csv: text, ...(dir ? { csvDir: dir } : {}) }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pick = (file: File | undefined) => (file ? load(file.name, () => file.text()) : Promise.resolve());

  useEffect(() => {
    if (found) void load(found.path, () => Promise.resolve(found.csv), found.dataRoot);
  }, [found]);

  const apply = async () => {
    if (csv === null) return;
    setBusy(true);
    setError(null);
    try {
      // The user has seen the unmatched rows listed: applying now skips them (the CLI's --allow-unknown).
      const r = await api.call('labels.applyCsv', { csv, ...(csvDir ? { csvDir } : {}), allowUnknown: unmatched > 0 });
      onApplied(r.applied);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const changes = preview?.changes.filter((c) => c.kind !== 'unchanged') ?? [];
  const toApply = preview ? preview.counts.new + preview.counts.updated : 0;
  const unmatched = preview ? preview.counts.unknown_path + preview.counts.ambiguous_path : 0;
  const hasErrors = (preview?.errors.length ?? 0) > 0;

  return (
    <Modal
      onClose={onClose}
      aria-modal="true"
      aria-labelledby="csv-title"
      tabIndex={-1}
      ref={dialogRef}
      data-testid="csv-dialog"
    >
      <h2 id="csv-title">{found ? 'Labels found in the imported folder' : 'Import labels from CSV'}</h2>
      <p className="muted">
        {found ? (
          <>
            <code data-testid="csv-found-path">{found.path}</code> holds labels for these videos.{' '}
          </>
        ) : null}
        The toolkit's <code>exercise_scores.csv</code>: columns <code>relative_path,exercise_type,score</code>. Nothing
        changes until you apply.
      </p>
      {found ? null : (
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="csv-file"
          aria-label="CSV file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      )}
      {busy ? <p className="muted">Reading…</p> : null}
      {error ? (
        <p className="fs-error" role="alert" data-testid="csv-apply-error">
          {error}
        </p>
      ) : null}
      {preview ? (
        <div className="fs-csv-preview" data-testid="csv-preview">
          <div className="fs-csv-counts" data-testid="csv-counts">
            <span>
              <b data-testid="count-new">{preview.counts.new}</b> new
            </span>
            <span>
              <b data-testid="count-updated">{preview.counts.updated}</b> updated
            </span>
            <span>
              <b data-testid="count-unchanged">{preview.counts.unchanged}</b> unchanged
            </span>
            <span>
              <b data-testid="count-unknown">{preview.counts.unknown_path}</b> unknown path
            </span>
            <span>
              <b data-testid="count-ambiguous">{preview.counts.ambiguous_path}</b> ambiguous
            </span>
            <span className={hasErrors ? 'fs-error' : ''}>
              <b data-testid="count-errors">{preview.errors.length}</b> errors
            </span>
          </div>
          {hasErrors ? (
            <div className="fs-csv-errors" role="alert" data-testid="csv-errors">
              <b>{fileName ?? 'The file'} has errors; nothing can be applied until they are fixed:</b>
              <ul>
                {preview.errors.slice(0, 200).map((e, i) => (
                  <li key={i}>
                    Line {e.line}
                    {e.column ? ` (${e.column})` : ''}: {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {changes.length > 0 ? (
            <table className="fs-csv-changes" data-testid="csv-changes">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>File</th>
                  <th>Change</th>
                  <th>Before</th>
                  <th>After</th>
                </tr>
              </thead>
              <tbody>
                {changes.slice(0, SHOWN_CHANGES).map((c) => (
                  <tr key={c.line} className={`kind-${c.kind}`}>
                    <td>{c.line}</td>
                    <td>{c.relativePath}</td>
                    <td>{changeText(c)}</td>
                    <td>{labelText(c.before)}</td>
                    <td>{labelText(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {changes.length > SHOWN_CHANGES ? <p className="muted">…and {changes.length - SHOWN_CHANGES} more.</p> : null}
        </div>
      ) : null}
      <div className="fs-modal-actions">
        <button onClick={onClose}>Cancel</button>
        <button
          className="primary"
          data-testid="csv-apply"
          disabled={!preview || hasErrors || toApply === 0 || busy}
          onClick={() => void apply()}
        >
          {preview && !hasErrors
            ? `Apply ${toApply} change${toApply === 1 ? '' : 's'}${unmatched ? `, skip ${unmatched} unmatched` : ''}`
            : 'Apply'}
        </button>
      </div>
    </Modal>
  );
}

/** Save text as a file download (browser and desktop alike). */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
