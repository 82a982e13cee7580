/** Issue #13: a 1-frame video is reported at import (it used to import as ok and fail later in thumbnails and pose). */
import { afterAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { importVideos } from '../../src-main/media/import';
import { ff, tmpDir } from './helpers';

let dir = '';
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('import of a 1-frame video', () => {
  it('is an error record with a clear message; a 2-frame clip next to it imports', async () => {
    dir = await tmpDir('oneframe');
    for (const [name, frames] of [
      ['still.mp4', 1],
      ['two.mp4', 2],
    ] as const) {
      const src = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-frames:v', String(frames)];
      await ff(...src, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(dir, name));
    }
    const r = await importVideos([dir]);
    const still = r.records.find((x) => x.relPath === 'still.mp4')!;
    expect(still.status).toBe('error');
    if (still.status === 'error') {
      expect(still.code).toBe('too_short');
      expect(still.message).toContain('only 1 frame');
    }
    expect(r.records.find((x) => x.relPath === 'two.mp4')?.status).toBe('ok');
  });
});
