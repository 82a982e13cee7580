import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, partPath, readVerified, type DownloadProgress } from '../../src-main/datasets/download.js';
import { DatasetError } from '../../src-main/datasets/errors.js';
import { FIXTURES, tmpDir } from '../media/helpers.js';
import { serve, type Served } from './server.js';

const VIDEO = path.join(FIXTURES, 'videos/gymnai_squat.mp4');
const COCO = path.join(FIXTURES, 'coco/test_coco.json');
let srv: Served;
let dir: string;
let videoBytes: Buffer;
let md5: string;
let sha256: string;
const fast = { backoffMs: 10, maxBackoffMs: 50, idleTimeoutMs: 2000 };

beforeAll(async () => {
  dir = await tmpDir('dl');
  videoBytes = await readFile(VIDEO);
  md5 = createHash('md5').update(videoBytes).digest('hex');
  sha256 = createHash('sha256').update(videoBytes).digest('hex');
  srv = await serve({
    '/ok.mp4': { file: VIDEO },
    '/coco.json': { file: COCO },
    '/drop.mp4': { file: VIDEO, fault: { kind: 'drop', afterBytes: 300_000, times: 1 } },
    '/drop-norange.mp4': { file: VIDEO, fault: { kind: 'ignoreRange' } },
    '/flaky.mp4': { file: VIDEO, fault: { kind: 'status', status: 503, times: 2 } },
    '/slow.mp4': { file: VIDEO, fault: { kind: 'slow', chunk: 16_384, everyMs: 20 } },
    '/always-drop.mp4': { file: VIDEO, fault: { kind: 'drop', afterBytes: 0, times: 1000 } },
  });
});
afterAll(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

async function err(p: Promise<unknown>): Promise<DatasetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
}
const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('downloadFile', () => {
  it('downloads, verifies md5 and renames atomically, with progress', async () => {
    const dest = path.join(dir, 'a/ok.mp4');
    const events: DownloadProgress[] = [];
    const r = await downloadFile({
      url: srv.url('/ok.mp4'),
      dest,
      checksum: { algorithm: 'md5', value: md5 },
      expectedSize: videoBytes.length,
      onProgress: (p) => events.push(p),
      ...fast,
    });
    expect(r).toMatchObject({ size: videoBytes.length, checksum: md5, alreadyComplete: false, attempts: 1 });
    expect((await readFile(dest)).equals(videoBytes)).toBe(true);
    expect(await exists(partPath(dest))).toBe(false);
    expect((await readVerified(dest))?.checksum).toEqual({ algorithm: 'md5', value: md5 });
    expect(events.map((e) => e.phase)).toContain('verifying');
    expect(events.at(-1)).toMatchObject({ phase: 'done', bytes: videoBytes.length, total: videoBytes.length });
    // second call: already complete, no request
    const before = srv.requests();
    expect(
      (await downloadFile({ url: srv.url('/ok.mp4'), dest, checksum: { algorithm: 'md5', value: md5 } }))
        .alreadyComplete,
    ).toBe(true);
    expect(srv.requests()).toBe(before);
  });

  it('resumes from the exact byte after the connection drops mid-file', async () => {
    const dest = path.join(dir, 'drop.mp4');
    const r = await downloadFile({
      url: srv.url('/drop.mp4'),
      dest,
      checksum: { algorithm: 'sha256', value: sha256 },
      ...fast,
    });
    // resumes from exactly the bytes it had on disk (≤ the 300000 the server sent before dropping)
    expect(r.resumes).toHaveLength(1);
    expect(r.resumes[0]).toBeGreaterThan(0);
    expect(r.resumes[0]).toBeLessThanOrEqual(300_000);
    expect(srv.ranges.get('/drop.mp4')).toEqual([null, `bytes=${r.resumes[0]}-`]);
    expect((await readFile(dest)).equals(videoBytes)).toBe(true);
  });

  it('resumes a .part left by an earlier run (app restart)', async () => {
    const dest = path.join(dir, 'restart.mp4');
    await writeFile(partPath(dest), videoBytes.subarray(0, 123_456));
    await downloadFile({ url: srv.url('/ok.mp4'), dest, checksum: { algorithm: 'md5', value: md5 }, ...fast });
    expect(srv.ranges.get('/ok.mp4')?.at(-1)).toBe('bytes=123456-');
    expect((await readFile(dest)).equals(videoBytes)).toBe(true);
  });

  it('restarts cleanly when the server ignores Range', async () => {
    const dest = path.join(dir, 'norange.mp4');
    await writeFile(partPath(dest), Buffer.alloc(5000, 7)); // garbage that must not survive
    await downloadFile({
      url: srv.url('/drop-norange.mp4'),
      dest,
      checksum: { algorithm: 'md5', value: md5 },
      ...fast,
    });
    expect(srv.ranges.get('/drop-norange.mp4')).toEqual(['bytes=5000-']);
    expect((await readFile(dest)).equals(videoBytes)).toBe(true);
  });

  it('retries 503 with backoff', async () => {
    const dest = path.join(dir, 'flaky.mp4');
    const r = await downloadFile({ url: srv.url('/flaky.mp4'), dest, ...fast });
    expect(r.attempts).toBe(3);
  });

  it('gives up with a network error after the retry budget, keeping nothing as complete', async () => {
    const dest = path.join(dir, 'always.mp4');
    const e = await err(downloadFile({ url: srv.url('/always-drop.mp4'), dest, ...fast, retries: 2 }));
    expect(e.code).toBe('network');
    expect(await exists(dest)).toBe(false);
  });

  it('rejects a wrong checksum: deletes the .part, never creates the file', async () => {
    const dest = path.join(dir, 'bad.json');
    const e = await err(
      downloadFile({
        url: srv.url('/coco.json'),
        dest,
        checksum: { algorithm: 'md5', value: 'f4bbac642086de4f52a3fdda2de5fa2c' },
        ...fast,
      }),
    );
    expect(e.code).toBe('checksum_mismatch');
    expect(e.message).toContain('f4bbac642086de4f52a3fdda2de5fa2c');
    expect(await exists(dest)).toBe(false);
    expect(await exists(partPath(dest))).toBe(false);
  });

  it('reports 404 without retrying', async () => {
    const before = srv.requests();
    const e = await err(downloadFile({ url: srv.url('/missing.zip'), dest: path.join(dir, 'missing.zip'), ...fast }));
    expect(e.code).toBe('not_found');
    expect(srv.requests() - before).toBe(1);
  });

  it('handles 416: a complete .part is verified, an oversized one is discarded', async () => {
    const dest = path.join(dir, 'complete.mp4');
    await writeFile(partPath(dest), videoBytes);
    const r = await downloadFile({
      url: srv.url('/ok.mp4'),
      dest,
      checksum: { algorithm: 'md5', value: md5 },
      ...fast,
    });
    expect(r.size).toBe(videoBytes.length);
    const dest2 = path.join(dir, 'oversized.mp4');
    await writeFile(partPath(dest2), Buffer.concat([videoBytes, Buffer.alloc(100)]));
    await downloadFile({ url: srv.url('/ok.mp4'), dest: dest2, checksum: { algorithm: 'md5', value: md5 }, ...fast });
    expect((await readFile(dest2)).equals(videoBytes)).toBe(true);
  });

  it('cancels a slow download, keeps the .part, and resumes it later', async () => {
    const dest = path.join(dir, 'slow.mp4');
    const ac = new AbortController();
    const e = await err(
      downloadFile({
        url: srv.url('/slow.mp4'),
        dest,
        signal: ac.signal,
        progressIntervalMs: 10,
        onProgress: (p) => p.bytes > 100_000 && ac.abort(),
        ...fast,
      }),
    );
    expect(e.code).toBe('aborted');
    const kept = (await stat(partPath(dest))).size;
    expect(kept).toBeGreaterThan(100_000);
    expect(kept).toBeLessThan(videoBytes.length);
    await downloadFile({ url: srv.url('/ok.mp4'), dest, checksum: { algorithm: 'md5', value: md5 }, ...fast });
    expect(srv.ranges.get('/ok.mp4')?.at(-1)).toBe(`bytes=${kept}-`);
    expect((await readFile(dest)).equals(videoBytes)).toBe(true);
  });

  it('refuses to start when disk space is too low', async () => {
    const before = srv.requests();
    const e = await err(
      downloadFile({
        url: srv.url('/ok.mp4'),
        dest: path.join(dir, 'space.mp4'),
        expectedSize: videoBytes.length,
        freeSpace: async () => 1000,
        ...fast,
      }),
    );
    expect(e.code).toBe('disk_full');
    expect(e.message).toMatch(/Not enough disk space/);
    expect(srv.requests()).toBe(before);
    // size unknown up front: checked as soon as the server tells
    const e2 = await err(
      downloadFile({
        url: srv.url('/ok.mp4'),
        dest: path.join(dir, 'space2.mp4'),
        freeSpace: async () => 1000,
        ...fast,
      }),
    );
    expect(e2.code).toBe('disk_full');
  });

  it('runs a custom verify hook before accepting the file', async () => {
    const dest = path.join(dir, 'verify.mp4');
    const e = await err(
      downloadFile({
        url: srv.url('/ok.mp4'),
        dest,
        verify: async () => {
          throw new Error('archive is truncated');
        },
        ...fast,
      }),
    );
    expect(e.code).toBe('corrupt_archive');
    expect(await exists(dest)).toBe(false);
  });
});
