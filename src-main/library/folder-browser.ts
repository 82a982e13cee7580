/**
 * The import folder browser of browser mode: lists folders and videos under the user's home and mounted
 * volumes, and nothing else. Paths are resolved to their real path before the check, so a symlink (or
 * "..") pointing out of the roots is refused, never followed.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import type { FolderEntry, FolderListing, filesContract } from '../../src-shared/api/files-contract';
import type { CallsOf, Feature } from '../app-context';
import { ApiError } from '../../src-shared/api/errors';
import { isVideoFile } from '../media/scan';

const MAX_ENTRIES = 2000;

/** Home and mounted volumes that exist here; FORM_STUDIO_BROWSE_ROOTS (path list) replaces them (tests, kiosks). */
export function browseRoots(env: NodeJS.ProcessEnv = process.env): Array<{ label: string; path: string }> {
  const override = env.FORM_STUDIO_BROWSE_ROOTS;
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  const candidates = override
    ? override
        .split(delimiter)
        .filter(Boolean)
        .map((p) => ({ label: basename(p) || p, path: p }))
    : [
        { label: 'Home', path: homedir() },
        { label: 'Volumes', path: '/Volumes' },
        { label: 'Media', path: join('/media', user) },
        { label: 'Media', path: join('/run/media', user) },
        { label: 'Mounts', path: '/mnt' },
      ];
  const seen = new Set<string>();
  const out: Array<{ label: string; path: string }> = [];
  for (const c of candidates) {
    if (!isAbsolute(c.path) || !existsSync(c.path)) continue;
    const real = realpathSync(c.path);
    if (seen.has(real)) continue;
    seen.add(real);
    out.push({ label: c.label, path: real });
  }
  return out;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export async function browseFolder(path: string | undefined, roots = browseRoots()): Promise<FolderListing> {
  if (path === undefined)
    return {
      path: null,
      parent: null,
      roots,
      entries: roots.map((r) => ({ name: r.label, path: r.path, kind: 'folder' })),
      truncated: 0,
    };
  if (!isAbsolute(path)) throw new ApiError('bad_input', `Not an absolute path: ${path}`);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new ApiError('not_found', `No such folder: ${path}`);
  }
  const root = roots.find((r) => inside(r.path, real));
  if (!root)
    throw new ApiError(
      'bad_input',
      `Only folders under ${roots.map((r) => r.path).join(', ') || 'your home folder'} can be browsed`,
    );
  if (!(await stat(real)).isDirectory()) throw new ApiError('bad_input', `Not a folder: ${path}`);
  let dirents;
  try {
    dirents = await readdir(real, { withFileTypes: true });
  } catch (err) {
    throw new ApiError(
      'io_error',
      `Cannot read ${real}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const folders: FolderEntry[] = [];
  const videos: FolderEntry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const full = join(real, d.name);
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    if (d.isSymbolicLink()) {
      // Followed only when it stays inside a root.
      try {
        const target = await realpath(full);
        if (!roots.some((r) => inside(r.path, target))) continue;
        const st = await stat(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue;
      }
    }
    if (isDir) folders.push({ name: d.name, path: full, kind: 'folder' });
    else if (isFile && isVideoFile(d.name)) videos.push({ name: d.name, path: full, kind: 'video' });
  }
  const byName = (a: FolderEntry, b: FolderEntry) => a.name.localeCompare(b.name, undefined, { numeric: true });
  const all = [...folders.sort(byName), ...videos.sort(byName)];
  const parent = real === root.path ? null : dirname(real);
  return {
    path: real,
    parent,
    roots,
    entries: all.slice(0, MAX_ENTRIES),
    truncated: Math.max(0, all.length - MAX_ENTRIES),
  };
}

/** The files.browse handler (input validated by the contract's zod schema before it gets here). */
export function createFilesFeature(): Feature<CallsOf<typeof filesContract>> {
  return { handlers: { 'files.browse': ({ path }) => browseFolder(path) } };
}
