/**
 * Content-addressed project media. A video is stored once per content at `store/<aa>/<sha256>.<ext>` under the
 * media root; its display path, original path and toolkit path are database metadata, never the storage key.
 * Why: the old layout hard-linked the user's file to `imported/<folder>/<name>` and a later import of another
 * file with the same folder and name copied *through that link* onto the user's original. Here the stored file
 * is always our own copy (a copy-on-write reflink where the filesystem offers one), written to a temp name,
 * named by the hash of what was actually written, made read-only, and never opened for writing again.
 */
import {
  constants,
  copyFileSync,
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { chmod, copyFile, mkdir, realpath, rename, unlink } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { extname, join } from 'node:path';
import { hashFile } from './hash';

export const STORE_DIR = 'store';

export interface StoredMedia {
  /** Path relative to the media root, forward slashes: `store/ab/ab12….mp4`. */
  key: string;
  /** Full sha256 hex of the stored bytes. */
  sha256: string;
}

const KEY_RE = /^store\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,5}$/;

export function isStorageKey(key: string): boolean {
  return KEY_RE.test(key);
}

export function storageKeyOf(sha256: string, sourceName: string): string {
  const ext = (
    extname(sourceName)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '') || '.bin'
  ).slice(0, 6);
  return `${STORE_DIR}/${sha256.slice(0, 2)}/${sha256}${ext}`;
}

export function storagePath(mediaRoot: string, key: string): string {
  return join(mediaRoot, ...key.split('/'));
}

function tmpPath(mediaRoot: string): string {
  return join(mediaRoot, STORE_DIR, '.tmp', `${process.pid}-${randomBytes(6).toString('hex')}.part`);
}

const COPY_MODE = constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL;

/**
 * Store a copy of `src` (symlinks resolved to their target). The source is only ever read. When
 * `knownSha256` (the full hash of the source) already names a stored file, nothing is copied.
 */
export async function storeMediaFile(
  mediaRoot: string,
  src: string,
  knownSha256?: string | null,
): Promise<StoredMedia> {
  const real = await realpath(src);
  if (knownSha256) {
    const key = storageKeyOf(knownSha256, real);
    if (existsSync(storagePath(mediaRoot, key))) return { key, sha256: knownSha256 };
  }
  const tmp = tmpPath(mediaRoot);
  await mkdir(join(mediaRoot, STORE_DIR, '.tmp'), { recursive: true });
  try {
    await copyFile(real, tmp, COPY_MODE);
    // Name it by what was written, not by what we hashed earlier: the source may have changed in between.
    const sha256 = (await hashFile(tmp, { mode: 'full' })).hash.slice('sha256:'.length);
    const key = storageKeyOf(sha256, real);
    const dest = storagePath(mediaRoot, key);
    if (existsSync(dest)) {
      await unlink(tmp);
    } else {
      await chmod(tmp, 0o444);
      await mkdir(join(dest, '..'), { recursive: true });
      await rename(tmp, dest);
    }
    return { key, sha256 };
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** The full sha256 of a hash string from hash.ts when it is one ("sha256:<hex>"); sampled hashes are not. */
export function fullSha256Of(contentHash: string | null): string | null {
  return contentHash && /^sha256:[0-9a-f]{64}$/.test(contentHash) ? contentHash.slice(7) : null;
}

/** Remove a stored file no row refers to any more. Only ever our own files under store/. */
export async function removeStored(mediaRoot: string, key: string): Promise<void> {
  if (!isStorageKey(key)) return;
  await unlink(storagePath(mediaRoot, key)).catch(() => undefined);
}

function sha256FileSync(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** Synchronous twin of storeMediaFile for the one-time layout migration at startup. */
export function storeMediaFileSync(mediaRoot: string, src: string): StoredMedia {
  const real = realpathSync(src);
  const tmp = tmpPath(mediaRoot);
  mkdirSync(join(mediaRoot, STORE_DIR, '.tmp'), { recursive: true });
  try {
    copyFileSync(real, tmp, COPY_MODE);
    const sha256 = sha256FileSync(tmp);
    const key = storageKeyOf(sha256, real);
    const dest = storagePath(mediaRoot, key);
    if (existsSync(dest)) unlinkSync(tmp);
    else {
      chmodSync(tmp, 0o444);
      mkdirSync(join(dest, '..'), { recursive: true });
      renameSync(tmp, dest);
    }
    return { key, sha256 };
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}
