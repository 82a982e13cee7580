/**
 * The one downloader: HTTP(S) streaming to `<dest>.part`, resumable, verified, atomic.
 *
 * - Resume: if `<dest>.part` exists (after a dropped connection or an app restart) we send `Range: bytes=<size>-`
 *   (+ `If-Range` with the ETag/Last-Modified saved in `<dest>.part.json`). A 206 is accepted only when its
 *   Content-Range starts exactly at our size; a 200 means the server ignored Range (or the file changed), so the
 *   .part is truncated and the download restarts cleanly from byte 0.
 * - 416: the .part is already complete (Content-Range `*\/total` equals its size) → verify; otherwise the .part
 *   is discarded and the download restarts once.
 * - Retries: network errors, idle timeouts, early EOF, 5xx and 429 are retried with exponential backoff
 *   (base × 2^n, capped, ± jitter). The budget counts consecutive failures that got no further than the best offset
 *   reached so far, so a long download over a flaky line keeps going while it advances, and a server that ignores
 *   Range and drops at the same byte gives up. 404/410 → 'not_found', other 4xx → 'http_error', no retry.
 * - Size cap: a body longer than the expected (or announced, or ~catalog) size stops at once and the .part goes.
 * - Verification before use: expected size, then md5/sha256 (streamed over the finished .part), then an optional
 *   `verify(path)` hook (e.g. archive integrity). On checksum/size/verify failure the .part is DELETED (resuming a
 *   corrupt file cannot fix it) and a typed error is thrown; nothing is ever renamed to `dest` unverified.
 * - Success: `.part` is renamed to `dest` (atomic on one filesystem) and `<dest>.verified.json` records size,
 *   checksum and time, so status checks need not re-hash.
 * - Free space: fs.statfs on the target folder before starting (and again once the size is known); needs
 *   remaining bytes + 64 MiB margin. Injectable for tests (`freeSpace`).
 * - Cancel: the AbortSignal stops the transfer; the .part is kept for a later resume; throws 'aborted'.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, statfs, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError } from './errors.js';
import { hashStream, readVerified, verifiedPath, type VerifiedMeta } from './download-verify.js';

import { request, RetryableError, sleep } from './download-http.js';
import type { DownloadOptions, DownloadProgress, DownloadResult } from './download-types.js';

export { hashStream, readVerified, verifiedPath, type VerifiedMeta };
export type { Checksum, DownloadOptions, DownloadProgress, DownloadResult } from './download-types.js';

interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

export const partPath = (dest: string): string => `${dest}.part`;

export async function defaultFreeSpace(dir: string): Promise<number> {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}

const fileSize = (p: string): Promise<number | null> =>
  stat(p).then(
    (s) => s.size,
    () => null,
  );

const fmtGB = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;

/** Download `url` to `dest` with resume, retries, verification and an atomic rename. See the module comment. */
export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, signal } = opts;
  const name = path.basename(dest);
  const part = partPath(dest);
  const metaPath = `${part}.json`;
  const retries = opts.retries ?? 5;
  const backoff = opts.backoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  const idle = opts.idleTimeoutMs ?? 30_000;
  const freeSpace = opts.freeSpace ?? defaultFreeSpace;
  const margin = opts.spaceMargin ?? 64 * 1024 * 1024;
  const interval = opts.progressIntervalMs ?? 250;
  const emit = (p: Omit<DownloadProgress, 'file'>): void => opts.onProgress?.({ file: name, ...p });
  await mkdir(path.dirname(dest), { recursive: true });

  // Already complete and verified?
  const done = await readVerified(dest);
  if (
    done &&
    (!opts.expectedSize || done.size === opts.expectedSize) &&
    (!opts.checksum || done.checksum?.value.toLowerCase() === opts.checksum.value.toLowerCase())
  ) {
    emit({ phase: 'done', bytes: done.size, total: done.size, rate: 0, eta: 0, attempt: 0, resumedFrom: 0 });
    return {
      path: dest,
      size: done.size,
      checksum: done.checksum?.value ?? null,
      alreadyComplete: true,
      attempts: 0,
      resumes: [],
    };
  }

  let meta: PartMeta = { url };
  try {
    const m = JSON.parse(await readFile(metaPath, 'utf8')) as PartMeta;
    if (m.url === url) meta = m;
  } catch {
    /* no meta */
  }
  if (meta.url !== url || (await fileSize(part)) === null) meta = { url };

  const checkSpace = async (total: number | undefined, have: number): Promise<void> => {
    if (!total) return;
    const need = Math.max(0, total - have) + margin;
    const free = await freeSpace(path.dirname(dest));
    if (free < need)
      throw new DatasetError(
        'disk_full',
        `Not enough disk space for ${name}: ${fmtGB(need)} needed in ${path.dirname(dest)}, ${fmtGB(free)} free. Free some space or choose another data folder.`,
        { need, free },
      );
  };
  await checkSpace(opts.expectedSize ?? meta.total ?? opts.approxSize, (await fileSize(part)) ?? 0);

  let attempts = 0;
  let failures = 0;
  let best = (await fileSize(part)) ?? 0; // furthest offset any attempt reached
  const catalogCap = opts.approxSize ? Math.ceil(opts.approxSize * 1.25) : null;
  let restartedAfter416 = false;
  const resumes: number[] = [];
  let total: number | null = opts.expectedSize ?? meta.total ?? null;

  for (;;) {
    if (signal?.aborted)
      throw new DatasetError('aborted', `Download of ${name} cancelled; ${part} is kept to resume later.`);
    attempts++;
    let have = (await fileSize(part)) ?? 0;
    const headers: Record<string, string> = { ...opts.headers };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      const validator = meta.etag && !meta.etag.startsWith('W/') ? meta.etag : meta.lastModified;
      if (validator) headers['if-range'] = validator;
      resumes.push(have);
    }
    emit({ phase: 'connecting', bytes: have, total, rate: 0, eta: null, attempt: attempts, resumedFrom: have });
    let reached = 0;
    let overflow = false;
    try {
      const { res, req } = await request(url, headers, signal, idle);
      // The body may fail while we do async work below: remember it instead of losing the event.
      let early: Error | null = null;
      const onEarly = (e?: Error): void =>
        void (early ??= e instanceof Error ? e : new RetryableError('connection closed by server'));
      res.on('error', onEarly);
      res.on('aborted', onEarly);
      res.pause();
      const code = res.statusCode ?? 0;
      if (code === 404 || code === 410) {
        res.resume();
        throw new DatasetError(
          'not_found',
          `${name} is not available at ${url} (HTTP ${code}). The dataset may have moved; set another URL.`,
          { status: code },
        );
      }
      if (code === 416) {
        res.resume();
        const cr = /bytes \*\/(\d+)/.exec(String(res.headers['content-range'] ?? ''));
        const remoteTotal = cr ? Number(cr[1]) : null;
        if (remoteTotal !== null && remoteTotal === have && (!opts.expectedSize || have === opts.expectedSize)) {
          total = have;
          break; // the .part is complete: verify it
        }
        if (restartedAfter416)
          throw new DatasetError('http_error', `Server rejected the byte range for ${name} twice (HTTP 416).`, {
            status: 416,
          });
        restartedAfter416 = true;
        await rm(part, { force: true });
        meta = { url };
        continue;
      }
      if (code === 429 || code >= 500) {
        res.resume();
        throw new RetryableError(`HTTP ${code}`);
      }
      if (code !== 200 && code !== 206) {
        res.resume();
        throw new DatasetError('http_error', `Download of ${name} failed: HTTP ${code} from ${url}.`, { status: code });
      }
      let append = false;
      if (code === 206) {
        const cr = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(String(res.headers['content-range'] ?? ''));
        if (!cr || Number(cr[1]) !== have) {
          // a range we did not ask for: do not splice it in; restart from scratch
          res.resume();
          req.destroy();
          await rm(part, { force: true });
          meta = { url };
          throw new RetryableError(`unexpected Content-Range "${res.headers['content-range']}"`);
        }
        if (cr[3] !== '*') total = Number(cr[3]);
        append = true;
      } else {
        // 200: full body. If we had a partial file the server ignored Range (or the file changed): restart cleanly.
        if (have > 0) await truncate(part, 0);
        have = 0;
        const len = Number(res.headers['content-length']);
        if (Number.isFinite(len) && len > 0) total = len;
      }
      if (opts.expectedSize && total !== null && total !== opts.expectedSize) {
        res.resume();
        req.destroy();
        throw new DatasetError(
          'size_mismatch',
          `${url} has ${total} bytes, expected ${opts.expectedSize}. Not downloading a different file.`,
          { total, expected: opts.expectedSize },
        );
      }
      meta = { url, etag: res.headers.etag, lastModified: res.headers['last-modified'], total: total ?? undefined };
      await writeFile(metaPath, JSON.stringify(meta));
      await checkSpace(total ?? undefined, have);

      // stream body → .part
      const startHave = have;
      let bytes = have;
      const t0 = Date.now();
      let lastEmit = 0;
      const window: Array<[number, number]> = [[t0, bytes]];
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      const cap = opts.expectedSize ?? total ?? catalogCap;
      const stats = (): Omit<DownloadProgress, 'file' | 'phase'> => {
        const now = Date.now();
        window.push([now, bytes]);
        while (window.length > 2 && now - window[0][0] > 5000) window.shift();
        const [t1, b1] = window[0];
        const rate = now > t1 ? ((bytes - b1) * 1000) / (now - t1) : 0;
        return {
          bytes,
          total,
          rate,
          eta: total !== null && rate > 0 ? (total - bytes) / rate : null,
          attempt: attempts,
          resumedFrom: startHave,
        };
      };
      await new Promise<void>((resolve, reject) => {
        res.off('error', onEarly);
        res.off('aborted', onEarly);
        if (early || res.destroyed) {
          out.end(() => reject(early ?? new RetryableError('connection closed by server')));
          return;
        }
        let failed = false;
        const fail = (e: Error): void => {
          if (failed) return;
          failed = true;
          res.destroy();
          out.end(() => reject(e));
        };
        res.on('data', (c: Buffer) => {
          if (failed) return;
          bytes += c.length;
          reached = bytes;
          if (cap !== null && bytes > cap) {
            overflow = true;
            return fail(
              new DatasetError(
                'size_mismatch',
                `${url} sent more than the expected ${cap} bytes; stopped and deleted the partial file.`,
                { cap },
              ),
            );
          }
          if (!out.write(c)) {
            res.pause();
            out.once('drain', () => res.resume());
          }
          const now = Date.now();
          if (now - lastEmit >= interval) {
            lastEmit = now;
            emit({ phase: 'downloading', ...stats() });
          }
        });
        res.on('error', (e) => fail(e));
        res.on('aborted', () => fail(new RetryableError('connection closed by server')));
        out.on('error', (e) => fail(e));
        res.resume();
        res.on('end', () => {
          if (failed) return;
          out.end(() => {
            if (total !== null && bytes < total)
              reject(new RetryableError(`connection closed early at ${bytes} of ${total} bytes`));
            else resolve();
          });
        });
      });
      emit({ phase: 'downloading', ...stats() });
      if (total === null) total = bytes;
      break;
    } catch (e) {
      if (signal?.aborted || (e as Error).name === 'AbortError')
        throw new DatasetError('aborted', `Download of ${name} cancelled; ${part} is kept to resume later.`);
      if (overflow) await rm(part, { force: true }).then(() => rm(metaPath, { force: true }));
      if (e instanceof DatasetError) throw e;
      if (reached > best) {
        best = reached;
        failures = 0;
      }
      failures++;
      if (failures > retries)
        throw new DatasetError(
          'network',
          `Download of ${name} failed after ${attempts} attempts: ${(e as Error).message}. Run it again to resume from ${part}.`,
          { attempts },
        );
      const wait = Math.min(maxBackoff, backoff * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      await sleep(wait, signal);
    }
  }

  // verify before use
  const size = (await fileSize(part)) ?? 0;
  const reject = async (
    code: 'size_mismatch' | 'checksum_mismatch' | 'corrupt_archive',
    msg: string,
    detail: Record<string, unknown>,
  ): Promise<never> => {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
    throw new DatasetError(code, msg, detail);
  };
  if ((opts.expectedSize && size !== opts.expectedSize) || (total !== null && size !== total))
    await reject(
      'size_mismatch',
      `${name} has ${size} bytes after download, expected ${opts.expectedSize ?? total}. The partial file was deleted; download again.`,
      { size, expected: opts.expectedSize ?? total },
    );
  let digest: string | null = null;
  if (opts.checksum) {
    emit({ phase: 'verifying', bytes: 0, total: size, rate: 0, eta: null, attempt: attempts, resumedFrom: 0 });
    digest = await hashStream(
      part,
      opts.checksum.algorithm,
      signal,
      (n) =>
        opts.onProgress &&
        emit({ phase: 'verifying', bytes: n, total: size, rate: 0, eta: null, attempt: attempts, resumedFrom: 0 }),
    );
    if (digest !== opts.checksum.value.toLowerCase())
      await reject(
        'checksum_mismatch',
        `${name} is corrupt: ${opts.checksum.algorithm} ${digest} does not match the published ${opts.checksum.value}. The file was deleted; download again.`,
        { expected: opts.checksum.value, actual: digest },
      );
  }
  if (opts.verify) {
    try {
      await opts.verify(part);
    } catch (e) {
      await reject(
        'corrupt_archive',
        `${name} failed its integrity check: ${(e as Error).message}. The file was deleted; download again.`,
        {},
      );
    }
  }
  await rename(part, dest);
  await rm(metaPath, { force: true });
  const vm: VerifiedMeta = {
    size,
    checksum: opts.checksum ? { algorithm: opts.checksum.algorithm, value: digest! } : null,
    verifiedAt: new Date().toISOString(),
    url,
  };
  await writeFile(verifiedPath(dest), JSON.stringify(vm, null, 1));
  emit({ phase: 'done', bytes: size, total: size, rate: 0, eta: 0, attempt: attempts, resumedFrom: 0 });
  return { path: dest, size, checksum: digest, alreadyComplete: false, attempts, resumes };
}
