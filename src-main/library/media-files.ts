/**
 * Where a video's bytes are, and the jobs that keep the content-addressed layout (media/media-store.ts) tidy:
 * the one-time move of older projects into it, following a moved project folder, and removing stored
 * files no row needs any more.
 */
import { existsSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Db } from '../store/database';
import { resolveInside } from '../fs-safe';
import { isStorageKey, removeStored, storagePath, storeMediaFileSync } from '../media/media-store';

/** The stored file of a row: its storage key when it has one, else (rows from before the layout) its path. */
export function storedFileOf(mediaRoot: string, row: { relPath: string; storageKey?: string | null }): string | null {
  if (row.storageKey && isStorageKey(row.storageKey)) return storagePath(mediaRoot, row.storageKey);
  return resolveInside(mediaRoot, row.relPath);
}

/**
 * A project whose folder was moved still names its old media root: when that folder is gone and the
 * home's default media folder exists, use the default (the home moved with its media).
 */
export function relocateMediaRoot(db: Db, projectId: number, defaultMediaRoot: string): void {
  const row = db.prepare('SELECT media_root FROM projects WHERE id = ?').get(projectId) as
    { media_root: string } | undefined;
  if (!row || existsSync(row.media_root) || !existsSync(defaultMediaRoot)) return;
  db.prepare('UPDATE projects SET media_root = ? WHERE id = ?').run(resolve(defaultMediaRoot), projectId);
}

export interface LayoutMigration {
  moved: number;
  missing: number;
}

/**
 * Move rows imported by older versions (file at `<media root>/<rel_path>`, often a hard link to the user's
 * own file) into the content-addressed store: copy the bytes, point the row at the copy, then remove our
 * old directory entry under `imported/` (unlinking a hard link leaves the user's file as it was). Rows,
 * labels, keypoints (cached by content hash) and models are untouched. Rows whose file is gone keep their
 * path, so nothing is lost and the library shows them as missing. Runs at every start; finds nothing to do
 * once done.
 */
export function migrateMediaLayout(db: Db, projectId: number, mediaRoot: string): LayoutMigration {
  const rows = db
    .prepare(`SELECT id, rel_path FROM videos WHERE project_id = ? AND storage_key IS NULL AND status = 'ok'`)
    .all(projectId) as Array<{ id: number; rel_path: string }>;
  const out: LayoutMigration = { moved: 0, missing: 0 };
  if (rows.length === 0) return out;
  const setKey = db.prepare('UPDATE videos SET storage_key = ? WHERE id = ?');
  const importedDir = resolve(mediaRoot, 'imported') + sep;
  for (const r of rows) {
    const file = resolveInside(mediaRoot, r.rel_path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      out.missing++;
      continue;
    }
    const { key } = storeMediaFileSync(mediaRoot, file);
    setKey.run(key, r.id);
    out.moved++;
    const legacy = resolve(mediaRoot, ...r.rel_path.split('/'));
    // Only our own placement folder, and never through a symlink: unlink the entry itself.
    if (legacy.startsWith(importedDir) && lstatSync(legacy).isFile()) unlinkSync(legacy);
  }
  return out;
}

/** Remove stored files that no row of any project refers to any more (after rows were deleted). */
export async function removeUnreferenced(
  db: Db,
  mediaRoot: string,
  keys: Array<string | null | undefined>,
): Promise<number> {
  const used = db.prepare('SELECT 1 FROM videos WHERE storage_key = ? LIMIT 1');
  let n = 0;
  for (const key of new Set(keys)) {
    if (!key || used.get(key)) continue;
    await removeStored(mediaRoot, key);
    n++;
  }
  return n;
}
