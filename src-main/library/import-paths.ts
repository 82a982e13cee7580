/** Display and toolkit paths of imported videos: metadata only, never where the bytes are stored. */
import { sep } from 'node:path';
import type { Db } from '../store/database';

const TOOLKIT_FOLDERS = new Set(['exercises_train', 'exercises_test']);

/**
 * The toolkit's relative path (`exercises_train/squat/a.mp4`): the path from the folder that holds
 * `exercises_train/` or `exercises_test/`, when the source sits under one; else null.
 */
export function toolkitPathOf(absPath: string): string | null {
  const segs = absPath.split(/[\\/]+/);
  for (let i = segs.length - 2; i >= 0; i--) if (TOOLKIT_FOLDERS.has(segs[i])) return segs.slice(i).join('/');
  return null;
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
  const at = db.prepare('SELECT status, original_path, error_message FROM videos WHERE project_id = ? AND rel_path = ?');
  const taken = (dir: string): boolean =>
    batch.some((c) => {
      const row = at.get(projectId, `${dir}/${c.relPath}`) as { status: string; original_path: string | null; error_message: string | null } | undefined;
      if (!row) return false;
      const sameSource = row.original_path === c.absPath || (row.original_path === null && !!row.error_message?.endsWith(`(source: ${c.absPath})`));
      return !(row.status === 'error' && sameSource);
    });
  for (let n = 1; ; n++) {
    const dir = n === 1 ? `imported/${clean}` : `imported/${clean} (${n})`;
    if (!taken(dir)) return dir;
  }
}
