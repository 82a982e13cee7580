/**
 * Browser mode has no native file dialog: this one is served by the local host (files.browse), which
 * lists only the user's home and mounted volumes. Recent import folders come first.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { FolderListing } from '../../src-shared/api/files-contract';
import { Modal } from '../app/Modal';

export const RECENT_KEY = 'import.recent';

/** Remembers an imported folder (newest first, ten at most), per project. */
export async function rememberFolder(path: string): Promise<void> {
  const before = ((await api.call('project.getSetting', { key: RECENT_KEY }).catch(() => null)) ?? []) as string[];
  const next = [path, ...before.filter((p) => p !== path)].slice(0, 10);
  await api.call('project.setSetting', { key: RECENT_KEY, value: next }).catch(() => undefined);
}

export function FolderBrowser({ onChoose, onClose }: { onChoose(path: string): void; onClose(): void }) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [recent, setRecent] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const open = useCallback((path?: string) => {
    setError(null);
    api.call('files.browse', path ? { path } : {}).then(setListing, (err: Error) => setError(err.message));
  }, []);
  useEffect(() => {
    open();
    api.call('project.getSetting', { key: RECENT_KEY }).then(
      (v) => setRecent(Array.isArray(v) ? (v as string[]) : []),
      () => undefined,
    );
  }, [open]);

  const videos = listing?.entries.filter((e) => e.kind === 'video').length ?? 0;
  return (
    <Modal
      onClose={onClose}
      className="fs-browser"
      aria-label="Choose a folder to import"
      data-testid="folder-browser"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h3>Import videos from…</h3>
      <div className="toolbar">
        {listing?.roots.map((r) => (
          <button key={r.path} onClick={() => open(r.path)} title={r.path}>
            {r.label}
          </button>
        ))}
        {recent.length > 0 ? (
          <select
            aria-label="Recent folders"
            data-testid="recent-folders"
            value=""
            onChange={(e) => e.target.value && open(e.target.value)}
          >
            <option value="">Recent folders…</option>
            {recent.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      <div className="fs-browser-path" data-testid="browser-path">
        {listing?.parent ? (
          <button
            className="link"
            onClick={() => open(listing.parent!)}
            aria-label="Up one folder"
            data-testid="browser-up"
          >
            ↑ Up
          </button>
        ) : null}{' '}
        <b>{listing?.path ?? 'Places'}</b>
      </div>
      {error ? (
        <div className="fs-message" role="alert">
          {error}
        </div>
      ) : null}
      <ul className="fs-browser-list" data-testid="browser-entries">
        {listing?.entries.map((e) => (
          <li key={e.path}>
            {e.kind === 'folder' ? (
              <button className="link" onClick={() => open(e.path)}>
                📁 {e.name}
              </button>
            ) : (
              <button className="link" onClick={() => onChoose(e.path)} title="Import this video">
                🎞 {e.name}
              </button>
            )}
          </li>
        ))}
        {listing && listing.entries.length === 0 ? <li className="muted">No folders or videos here.</li> : null}
        {listing && listing.truncated > 0 ? <li className="muted">…and {listing.truncated} more</li> : null}
      </ul>
      <div className="fs-modal-actions">
        <button onClick={onClose}>Cancel</button>
        <button
          className="primary"
          disabled={!listing?.path}
          onClick={() => listing?.path && onChoose(listing.path)}
          data-testid="browser-import"
        >
          Import this folder
          {videos ? ` (${videos} video${videos === 1 ? '' : 's'} here, sub-folders too)` : ' (and its sub-folders)'}
        </button>
      </div>
    </Modal>
  );
}
