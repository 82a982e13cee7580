/** What a finished download leaves next to its file, and the streamed hash used to verify it. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Checksum } from './download-types.js';

export interface VerifiedMeta {
  size: number;
  checksum: Checksum | null;
  verifiedAt: string;
  url: string;
}

export const verifiedPath = (dest: string): string => `${dest}.verified.json`;

export async function readVerified(dest: string): Promise<VerifiedMeta | null> {
  try {
    const m = JSON.parse(await readFile(verifiedPath(dest), 'utf8')) as VerifiedMeta;
    return (await stat(dest).then(
      (s) => s.size,
      () => null,
    )) === m.size
      ? m
      : null;
  } catch {
    return null;
  }
}

export async function hashStream(
  file: string,
  algorithm: 'md5' | 'sha256',
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<string> {
  const h = createHash(algorithm);
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    const s = createReadStream(file, { highWaterMark: 1 << 20, signal });
    s.on('data', (c) => {
      h.update(c);
      onBytes?.((n += c.length));
    });
    s.on('error', reject);
    s.on('end', resolve);
  });
  return h.digest('hex');
}
