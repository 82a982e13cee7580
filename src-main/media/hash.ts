/**
 * Content hashing for duplicate detection.
 *
 * - 'full': sha256 of every byte, streamed.
 * - 'sampled': sha256 over  "form-studio-sample-v1\n" + decimal size + "\n" + first 1 MiB + middle 1 MiB + last 1 MiB.
 *   Reads at most 3 MiB whatever the file size. Two files with the same size and the same three windows collide —
 *   acceptable for "this video was already imported" on camera files (headers and trailers differ), not for integrity.
 * - 'auto' (default): full up to 64 MiB, sampled above.
 * The result string is prefixed with its method ("sha256:" / "sha256s:") so the two kinds never compare equal.
 * Results are remembered for the process by file identity, size and mtime (as git's index does), so a
 * file asked for again unchanged — every extraction asks for its clip's frames by content — is not
 * read again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { MediaError } from './errors.js';

export type HashMode = 'full' | 'sampled' | 'auto';

export interface FileHash {
  /** "sha256:<hex>" or "sha256s:<hex>" (sampled). */
  hash: string;
  method: 'full' | 'sampled';
  size: number;
}

export const SAMPLE_WINDOW = 1024 * 1024;
export const AUTO_FULL_LIMIT = 64 * 1024 * 1024;

const remembered = new Map<string, FileHash>();
const REMEMBER_MAX = 10_000;

export async function hashFile(file: string, opts: { mode?: HashMode; signal?: AbortSignal } = {}): Promise<FileHash> {
  const mode = opts.mode ?? 'auto';
  const identity = async () => {
    try {
      const st = await stat(file);
      return { size: st.size, key: `${mode}\0${file}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` };
    } catch {
      throw new MediaError('missing', `File not found: ${file}`, file);
    }
  };
  const before = await identity();
  const known = remembered.get(before.key);
  if (known) return known;
  const result = await hashContent(file, before.size, mode, opts.signal);
  // Remembered only if the file did not change while it was read.
  if ((await identity()).key === before.key) {
    remembered.set(before.key, result);
    if (remembered.size > REMEMBER_MAX) remembered.delete(remembered.keys().next().value!);
  }
  return result;
}

async function hashContent(file: string, size: number, mode: HashMode, signal?: AbortSignal): Promise<FileHash> {
  const sampled = mode === 'sampled' || (mode === 'auto' && size > AUTO_FULL_LIMIT);
  if (!sampled) {
    const h = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(file, { highWaterMark: 1 << 20, signal });
      s.on('data', (c) => h.update(c));
      s.on('error', (e) =>
        reject(e.name === 'AbortError' ? new MediaError('aborted', 'Hashing was cancelled.', file) : e),
      );
      s.on('end', () => resolve());
    });
    return { hash: `sha256:${h.digest('hex')}`, method: 'full', size };
  }
  const h = createHash('sha256');
  h.update(`form-studio-sample-v1\n${size}\n`);
  const fh = await open(file, 'r');
  try {
    const starts = [0, Math.max(0, Math.floor(size / 2) - SAMPLE_WINDOW / 2), Math.max(0, size - SAMPLE_WINDOW)];
    const buf = Buffer.alloc(SAMPLE_WINDOW);
    for (const start of starts) {
      if (signal?.aborted) throw new MediaError('aborted', 'Hashing was cancelled.', file);
      const { bytesRead } = await fh.read(buf, 0, Math.min(SAMPLE_WINDOW, size - start), start);
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return { hash: `sha256s:${h.digest('hex')}`, method: 'sampled', size };
}
