/**
 * Regression for issue #13 (critical): importing b/videos/clip.mp4 after a/videos/clip.mp4 overwrote the user's
 * a/videos/clip.mp4 with b's bytes (import hard-linked a into the project, then copied b through that link).
 * Uses only the import API, so it runs against the old code too (and fails there).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { importAndWait, makeClip, snapshot } from '../support/user-files';

const tmp = mkdtempSync(join(tmpdir(), 'fs-overwrite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('importing never changes the user files (issue #13 reproduction)', () => {
  it('a/videos/clip.mp4 then b/videos/clip.mp4: both originals keep their bytes and mtime, both rows keep their split', async () => {
    const a = join(tmp, 'a', 'videos', 'clip.mp4');
    const b = join(tmp, 'b', 'videos', 'clip.mp4');
    await makeClip(a, { pattern: 'testsrc', seconds: 1 });
    await makeClip(b, { pattern: 'smptebars', seconds: 2 });
    const before = { a: snapshot(a), b: snapshot(b) };
    expect(before.a.sha256).not.toBe(before.b.sha256);

    const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
    expect((await importAndWait(s, [join(tmp, 'a', 'videos')], 'train')).state).toBe('done');
    expect((await importAndWait(s, [join(tmp, 'b', 'videos')], 'test')).state).toBe('done');

    expect(snapshot(a)).toEqual(before.a);
    expect(snapshot(b)).toEqual(before.b);
    const rows = await s.invoke('videos.list', {});
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.split).sort()).toEqual(['test', 'train']);
    // What the project serves for each row is that row's own content.
    for (const r of rows) {
      const body = Buffer.from(await s.media(`video/${r.id}`, null).arrayBuffer());
      expect(body.length).toBe(r.split === 'train' ? before.a.size : before.b.size);
    }
    s.close();
  }, 240_000);

  it('same size, different content is never "already there"', async () => {
    const a = join(tmp, 'c', 'videos', 'clip.mp4');
    const b = join(tmp, 'd', 'videos', 'clip.mp4');
    await makeClip(a, { title: 'AAAA' });
    await makeClip(b, { title: 'BBBB' });
    const before = { a: snapshot(a), b: snapshot(b) };
    expect(before.a.size).toBe(before.b.size);
    expect(before.a.sha256).not.toBe(before.b.sha256);
    const s = new Services({ home: join(tmp, 'home2'), mode: 'browser' });
    await importAndWait(s, [join(tmp, 'c', 'videos')], 'train');
    await importAndWait(s, [join(tmp, 'd', 'videos')], 'test');
    expect(snapshot(a)).toEqual(before.a);
    expect(snapshot(b)).toEqual(before.b);
    const rows = await s.invoke('videos.list', {});
    expect(rows).toHaveLength(2);
    const served = await Promise.all(
      rows.map(async (r) => Buffer.from(await s.media(`video/${r.id}`, null).arrayBuffer()).toString('latin1')),
    );
    expect(served.some((t) => t.includes('AAAA'))).toBe(true);
    expect(served.some((t) => t.includes('BBBB'))).toBe(true);
    s.close();
  }, 240_000);
});
