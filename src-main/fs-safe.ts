import { realpathSync } from 'node:fs';
import { rename, writeFile, open, unlink } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';

/**
 * Resolve a user- or URL-supplied relative path inside `root`, refusing anything that could escape it:
 * `..` segments, absolute paths, drive letters, NUL bytes, backslash tricks, and symlinks pointing outside.
 * Returns null when refused. `rel` must already be URL-decoded.
 */
export function resolveInside(root: string, rel: string): string | null {
  if (rel.length === 0 || rel.includes('\0')) return null;
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.startsWith('\\') || rel.startsWith('/')) return null;
  const segments = rel.split(/[\\/]+/);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rootResolved = resolve(root);
  const full = resolve(rootResolved, ...segments);
  if (!full.startsWith(rootResolved + sep)) return null;
  // Follow symlinks: the real file must still be inside the real root.
  try {
    const realRoot = realpathSync(rootResolved);
    const realFull = realpathSync(full);
    if (realFull !== realRoot && !realFull.startsWith(realRoot + sep)) return null;
    return realFull;
  } catch {
    return full; // does not exist (yet): the caller answers 404
  }
}

/** Write a file atomically: temp file in the same folder, fsync, rename. A crash leaves the old file or the new one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, data);
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
