/** Issue #13 downloader limits, against real HTTP servers on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { downloadFile, partPath } from '../../src-main/datasets/download.js';
import { DatasetError } from '../../src-main/datasets/errors.js';
import { tmpDir } from '../media/helpers.js';
import { Services } from '../../src-main/services';

let dir = '';
let server: http.Server;
let base = '';
const sent = new Map<string, number>();
const requests = new Map<string, number>();

beforeAll(async () => {
  dir = await tmpDir('dl-limits');
  server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    requests.set(p, (requests.get(p) ?? 0) + 1);
    const chunk = Buffer.alloc(16_384, 7);
    if (p === '/drop-same-byte') {
      // Ignores Range, announces 1 MB, and drops the connection at the same byte every time.
      res.writeHead(200, { 'content-length': String(1_000_000) });
      res.write(Buffer.alloc(100_000, 1), () => res.destroy());
      return;
    }
    if (p === '/endless') {
      // Chunked (no length): would go on for ever.
      res.writeHead(200);
      const push = (): void => {
        if (res.destroyed) return;
        sent.set(p, (sent.get(p) ?? 0) + chunk.length);
        if (res.write(chunk)) setImmediate(push);
        else res.once('drain', push);
      };
      res.on('close', () => undefined);
      push();
      return;
    }
    if (p === '/slow.zip') {
      res.writeHead(200);
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(chunk)), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<DatasetError> {
  try {
    await p;
  } catch (e) {
    return e as DatasetError;
  }
  throw new Error('expected a failure');
}

describe('downloader limits', () => {
  it('gives up when every attempt drops at the same byte (no progress beyond the best offset)', async () => {
    const dest = path.join(dir, 'same.bin');
    const e = await failure(
      downloadFile({
        url: `${base}/drop-same-byte`,
        dest,
        retries: 3,
        backoffMs: 5,
        maxBackoffMs: 10,
        freeSpace: async () => 1e12,
      }),
    );
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.code).toBe('network');
    // the first attempt makes progress; then 3 retries that do not → 5 attempts at most
    expect(requests.get('/drop-same-byte')).toBeLessThanOrEqual(5);
  });

  it('stops a body longer than the expected size at once and deletes the .part', async () => {
    const dest = path.join(dir, 'endless.bin');
    const e = await failure(
      downloadFile({
        url: `${base}/endless`,
        dest,
        expectedSize: 400_000,
        retries: 1,
        backoffMs: 5,
        freeSpace: async () => 1e12,
      }),
    );
    expect(e.code).toBe('size_mismatch');
    expect(existsSync(partPath(dest))).toBe(false);
    expect(existsSync(dest)).toBe(false);
    expect(sent.get('/endless') ?? 0).toBeLessThan(400_000 + 4 * 1024 * 1024);
    expect(requests.get('/endless')).toBe(1);
  });

  it('one download job per dataset: a second request joins the running job', async () => {
    process.env.FORM_STUDIO_DATASET_OVERRIDES = JSON.stringify({
      'annotations_trainval2017.zip': { url: `${base}/slow.zip` },
    });
    const s = new Services({ home: path.join(dir, 'home'), mode: 'browser' });
    try {
      const a = await s.invoke('datasets.download', { id: 'coco' });
      const b = await s.invoke('datasets.download', { id: 'coco' });
      expect(b.jobId).toBe(a.jobId);
      expect(s.jobs.list().filter((j) => j.state === 'running')).toHaveLength(1);
      await s.invoke('jobs.cancel', { jobId: a.jobId });
      while (s.jobs.list().some((j) => j.state === 'running')) await new Promise((r) => setTimeout(r, 20));
      // After it ended, a new request starts a new job.
      const c = await s.invoke('datasets.download', { id: 'coco' });
      expect(c.jobId).not.toBe(a.jobId);
      await s.invoke('jobs.cancel', { jobId: c.jobId });
      while (s.jobs.list().some((j) => j.state === 'running')) await new Promise((r) => setTimeout(r, 20));
    } finally {
      delete process.env.FORM_STUDIO_DATASET_OVERRIDES;
      s.close();
    }
  });
});
