/** Display and toolkit paths of imported videos: metadata only, never where the bytes are stored. */
import { basename, resolve, sep } from 'node:path';
import type { Db } from '../store/database';

const TOOLKIT_FOLDERS = new Set(['exercises_train', 'exercises_test']);

/**
 * The toolkit's relative path, exactly as its train_model.py writes it in exercise_scores.csv
 * (`exercises_train/squat_001.mp4`): the path from its data root, the folder that holds `exercises_train/` or
 * `exercises_test/` (any case, at any depth under the imported folder, or the imported folder itself); null
 * when the video is not under one. `root` is the folder imported, `relPath` the video's path under it.
 */
export function toolkitPathOf(root: string, relPath: string): string | null {
  const segs = [basename(root), ...relPath.split('/')];
  // The innermost such folder: an outer one named alike (…/exercises_train/old/exercises_train/) is not the data root.
  for (let i = segs.length - 2; i >= 0; i--)
    if (TOOLKIT_FOLDERS.has(segs[i].toLowerCase())) return segs.slice(i).join('/');
  return null;
}

/** The data root of a video imported from the toolkit's layout: its source path minus its toolkit path. */
export function dataRootOf(originalPath: string, toolkitPath: string): string {
  return resolve(originalPath, ...toolkitPath.split('/').map(() => '..'));
}

interface Candidate {
  relPath: string;
  absPath: string;
}

/**
 * The folder under which a batch's display paths go: `imported/<name>`, or `imported/<name> (2)`, (3)…
 * when a path there already belongs to another source. A row may be reused only when it is the same
 * source's earlier failed import (so fixing a broken file and importing again updates its row).
 */
export function chooseImportDir(db: Db, projectId: number, name: string, batch: Candidate[]): string {
  const clean = name.split(sep).join('_').replace(/[\\/]/g, '_') || 'videos';
  const at = db.prepare(
    'SELECT status, original_path, error_message FROM videos WHERE project_id = ? AND rel_path = ?',
  );
  const taken = (dir: string): boolean =>
    batch.some((c) => {
      const row = at.get(projectId, `${dir}/${c.relPath}`) as
        { status: string; original_path: string | null; error_message: string | null } | undefined;
      if (!row) return false;
      const sameSource =
        row.original_path === c.absPath ||
        (row.original_path === null && !!row.error_message?.endsWith(`(source: ${c.absPath})`));
      return !(row.status === 'error' && sameSource);
    });
  for (let n = 1; ; n++) {
    const dir = n === 1 ? `imported/${clean}` : `imported/${clean} (${n})`;
    if (!taken(dir)) return dir;
  }
}
