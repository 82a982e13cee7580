/**
 * The toolkit's label file beside imported videos: `exercise_scores.csv` in the folder imported or in a data
 * root found under it (the folder holding exercises_train/ / exercises_test/). Only read, never written.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Db } from '../store/database';
import { dataRootOf } from './import-paths';
import { ApiError } from '../../src-shared/api/errors';

export const TOOLKIT_CSV = 'exercise_scores.csv';
const MAX_CSV_BYTES = 50_000_000;

export interface FolderCsv {
  /** The CSV file (absolute). */
  path: string;
  /** The folder its paths are relative to. */
  dataRoot: string;
  csv: string;
}

/** The data roots of the videos imported from under `paths`, and those folders themselves. */
function candidateRoots(db: Db, projectId: number, paths: string[]): string[] {
  const wanted = paths.map((p) => resolve(p));
  const roots = new Set(wanted);
  const rows = db
    .prepare(
      'SELECT original_path, toolkit_path FROM videos WHERE project_id = ? AND toolkit_path IS NOT NULL AND original_path IS NOT NULL',
    )
    .all(projectId) as Array<{ original_path: string; toolkit_path: string }>;
  for (const r of rows) {
    if (!wanted.some((w) => r.original_path === w || r.original_path.startsWith(w.endsWith(sep) ? w : w + sep)))
      continue;
    roots.add(dataRootOf(r.original_path, r.toolkit_path));
  }
  return [...roots].sort();
}

/** The file in `dir` named exercise_scores.csv in any case (Windows and macOS users see no difference). */
async function csvIn(dir: string): Promise<string | null> {
  try {
    const hit = (await readdir(dir, { withFileTypes: true })).find(
      (e) => e.name.toLowerCase() === TOOLKIT_CSV && (e.isFile() || e.isSymbolicLink()),
    );
    return hit ? join(dir, hit.name) : null;
  } catch {
    return null; // a file was imported, or the folder is gone: no label file there
  }
}

/** Every exercise_scores.csv that belongs to what was imported from `paths`, with its text. */
export async function findFolderCsvs(db: Db, projectId: number, paths: string[]): Promise<FolderCsv[]> {
  const out: FolderCsv[] = [];
  for (const dataRoot of candidateRoots(db, projectId, paths)) {
    const path = await csvIn(dataRoot);
    if (!path) continue;
    const st = await stat(path);
    if (!st.isFile()) continue;
    if (st.size > MAX_CSV_BYTES)
      throw new ApiError('bad_input', `${path} is larger than 50 MB: not a label file the app can read`);
    out.push({ path, dataRoot, csv: await readFile(path, 'utf8') });
  }
  return out;
}
