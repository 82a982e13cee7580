/** Where browser-mode drops are staged before the import job stores its own copy (then the batch is removed). */
import { join, relative, isAbsolute } from 'node:path';
import type { HomePaths } from '../paths';

export function uploadsDir(paths: Pick<HomePaths, 'cache'>): string {
  return join(paths.cache, 'uploads');
}

/** True for a folder the upload handler staged (never a user's own folder). */
export function isStagedUpload(paths: Pick<HomePaths, 'cache'>, folder: string): boolean {
  const rel = relative(uploadsDir(paths), folder);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
