/**
 * Content hashing for duplicate detection.
 *
 * - 'full': sha256 of every byte, streamed.
 * - 'sampled': sha256 over  "form-studio-sample-v1\n" + decimal size + "\n" + first 1 MiB + middle 1 MiB + last 1 MiB.
 *   Reads at most 3 MiB whatever the file size. Two files with the same size and the same three windows collide —
 *   acceptable for "this video was already imported" on camera files (headers and trailers differ), not for integrity.
 * - 'auto' (default): full up to 64 MiB, sampled above.
 * The result string is prefixed with its method ("sha256:" / "sha256s:") so the two kinds never compare equal.
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

export async function hashFile(file: string, opts: { mode?: HashMode; signal?: AbortSignal } = {}): Promise<FileHash> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new MediaError('missing', `File not found: ${file}`, file);
  }
  const mode = opts.mode ?? 'auto';
  const sampled = mode === 'sampled' || (mode === 'auto' && size > AUTO_FULL_LIMIT);
  if (!sampled) {
    const h = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(file, { highWaterMark: 1 << 20, signal: opts.signal });
      s.on('data', (c) => h.update(c));
      s.on('error', (e) => reject(e.name === 'AbortError' ? new MediaError('aborted', 'Hashing was cancelled.', file) : e));
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
      if (opts.signal?.aborted) throw new MediaError('aborted', 'Hashing was cancelled.', file);
      const { bytesRead } = await fh.read(buf, 0, Math.min(SAMPLE_WINDOW, size - start), start);
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return { hash: `sha256s:${h.digest('hex')}`, method: 'sampled', size };
}
