/**
 * `form-studio score` samples the model's frames and the dense rep frames in one decode
 * (sampleFrameSetsToDir). What the model sees must not change: each set's files are byte-identical to that
 * set sampled on its own (sampleFramesToDir, as `keypoints.prepare` does it), with both ffmpeg binaries, at the
 * app's real size and format (640 px JPEG). A caller asking for a set while it is being sampled gets it
 * without a second decode.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg, type FfmpegTools } from '../../src-main/media/ffmpeg.js';
import { sampleFramesToDir, sampleFrameSetsToDir, type CachedFrames } from '../../src-main/media/frame-cache.js';
import { VIDEOS, tmpDir } from './helpers.js';

const BUNDLED_ONLY = findFfmpeg({ env: { PATH: '' } });
const BINARIES: Array<[string, FfmpegTools]> = [
  ['discovered', findFfmpeg()],
  ['bundled, no ffprobe', { ...BUNDLED_ONLY, ffprobe: null, ffprobeSource: null, ffprobeVersion: null }],
];
const APP = { maxSide: 640, format: 'jpeg' } as const;
let dir: string;

beforeAll(async () => {
  dir = await tmpDir('frame-sets');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(c: CachedFrames): Promise<Buffer[]> {
  return Promise.all(c.files.map((f) => readFile(path.join(c.dir, f))));
}

describe.each(BINARIES)('frame sets from one decode (%s ffmpeg)', (name, tools) => {
  it.skipIf(!existsSync(tools.ffmpeg))(
    'equal each set sampled on its own, byte for byte',
    { timeout: 300_000 },
    async () => {
      // The CLI's case (30-s clip: 24 model frames + 150 dense) and a 43-s clip at a denser rate.
      for (const [clip, counts] of [
        ['rjsong_squat.mp4', [24, 150]],
        ['rjsong_squat2.mp4', [24, 215]],
      ] as const) {
        const file = path.join(VIDEOS, clip);
        const together = await sampleFrameSetsToDir(file, path.join(dir, `${name}-together`), [...counts], {
          ...APP,
          tools,
        });
        for (const [k, n] of counts.entries()) {
          const alone = await sampleFramesToDir(file, path.join(dir, `${name}-alone`), { ...APP, n, tools });
          const a = together[k];
          expect(a.cached).toBe(false);
          expect(a.files.length).toBe(n);
          expect(a.timestamps).toEqual(alone.timestamps);
          expect(a.requested).toEqual(alone.requested);
          expect(a.files).toEqual(alone.files);
          expect([a.width, a.height]).toEqual([alone.width, alone.height]);
          const [fa, fb] = [await files(a), await files(alone)];
          for (let i = 0; i < n; i++) expect(fa[i].equals(fb[i]), `${clip} n=${n} frame ${i}`).toBe(true);
          // The set's own entry: a later single-set call is served from the cache.
          const again = await sampleFramesToDir(file, path.join(dir, `${name}-together`), { ...APP, n, tools });
          expect(again.cached).toBe(true);
          expect(again.dir).toBe(a.dir);
        }
      }
    },
  );
});

it('a set asked for while it is being sampled waits for that decode', { timeout: 120_000 }, async () => {
  const file = path.join(VIDEOS, 'rjsong_squat.mp4');
  const cache = path.join(dir, 'in-flight');
  const together = sampleFrameSetsToDir(file, cache, [24, 150], APP);
  // Like the page's keypoints.prepare arriving while the CLI's decode runs: same entry, no second decode.
  await new Promise((r) => setTimeout(r, 50));
  const [dense, sets] = await Promise.all([sampleFramesToDir(file, cache, { ...APP, n: 150 }), together]);
  expect(dense.cached).toBe(false); // it is the decode's result, not a cache read (that would say cached)
  expect(dense.dir).toBe(sets[1].dir);
  expect(dense.timestamps).toEqual(sets[1].timestamps);
});
