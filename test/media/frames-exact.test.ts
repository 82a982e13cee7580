/**
 * Frame sampling is exact: every sampled frame equals the frame a full decode shows at its timestamp, for
 * real fixture clips plus a VFR and a rotated clip, at 24/150/215/1000 samples, with Debian's ffmpeg and the
 * bundled static one (no ffprobe). Reference = every frame decoded once by the same binary, same scaling.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTimestamps } from '../../src-shared/keypoints/format.js';
import {
  clearCachedFrames,
  fitSize,
  probe,
  sampleFrames,
  sampleFramesToDir,
  type FfmpegTools,
  type VideoProbe,
} from '../../src-main/media/index.js';
import { showinfoTimes } from '../../src-main/media/frames.js';
import { frameAt, listFrames, planChunks, seekPoint, selectExpr, MAX_TERMS } from '../../src-main/media/frame-plan.js';
import { findFfmpeg, runTool } from '../../src-main/media/ffmpeg.js';
import { VIDEOS, ff, tmpDir } from './helpers.js';

// The discovered ffmpeg (Debian's 5.1 where installed) with its ffprobe, and the bundled static 4.x alone:
// listing frames without ffprobe is a different code path.
const BUNDLED_ONLY = findFfmpeg({ env: { PATH: '' } });
const BINARIES: Array<[string, FfmpegTools]> = [
  [`discovered, ${findFfmpeg().ffmpegVersion.split(' ').slice(0, 3).join(' ')}`, findFfmpeg()],
  ['bundled, no ffprobe', { ...BUNDLED_ONLY, ffprobe: null, ffprobeSource: null, ffprobeVersion: null }],
];
const MAX_SIDE = 64;
let dir: string;

interface Reference {
  probe: VideoProbe;
  pts: number[];
  frames: Buffer[];
  size: { width: number; height: number };
}

/** Decode every frame once (the reference), same scaling as the sampler, raw RGBA. */
async function decodeAll(file: string, tools: FfmpegTools): Promise<Reference> {
  const p = await probe(file, { tools });
  const size = fitSize(p.displayWidth, p.displayHeight, MAX_SIDE);
  const r = await runTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostats',
      '-loglevel',
      'info',
      '-copyts',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-an',
      '-vf',
      `scale=${size.width}:${size.height}:flags=bilinear,showinfo`,
      '-vsync',
      '0',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      'pipe:1',
    ],
    { stderrLimit: 64 << 20 },
  );
  expect(r.code).toBe(0);
  const pts = showinfoTimes(r.stderr);
  const bytes = size.width * size.height * 4;
  const frames = Array.from({ length: r.stdout.length / bytes }, (_, i) =>
    r.stdout.subarray(i * bytes, (i + 1) * bytes),
  );
  expect(frames.length).toBe(pts.length);
  return { probe: p, pts, frames, size };
}

function psnr(a: Buffer, b: Buffer): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

/** The frame a player shows at t: the last with pts ≤ t (the first before it). */
function shownAt(pts: number[], t: number): number {
  let k = 0;
  for (let i = 0; i < pts.length; i++) if (pts[i] <= t + 1e-6) k = i;
  return k;
}

async function checkClip(file: string, tools: FfmpegTools, counts: number[]): Promise<void> {
  const ref = await decodeAll(file, tools);
  // One probe per clip and binary (the sampler's own probe call is `probe(file, { tools })` too).
  const p = ref.probe;
  for (const n of counts) {
    const times = sampleTimestamps(p.duration, n);
    const res = await sampleFrames(file, { timestamps: times, maxSide: MAX_SIDE, format: 'rgba', tools, probe: p });
    expect(res.frames.length).toBe(n);
    let worst = Infinity;
    for (const fr of res.frames) {
      const k = shownAt(ref.pts, fr.requested);
      expect(fr.time, `${path.basename(file)} n=${n} t=${fr.requested}`).toBeCloseTo(ref.pts[k], 5);
      worst = Math.min(worst, psnr(fr.data, ref.frames[k]));
    }
    expect(worst, `${path.basename(file)} n=${n}: worst PSNR`).toBeGreaterThanOrEqual(40);
  }
}

beforeAll(async () => {
  dir = await tmpDir('frames');
  const src = path.join(VIDEOS, 'gymnai_squat.mp4');
  await Promise.all([
    // VFR: 24 fps for 2 s, then every 3rd frame (8 fps), original timestamps kept.
    ff(
      '-i',
      src,
      '-t',
      '5',
      '-an',
      '-vf',
      "select='lt(t\\,2)+not(mod(n\\,3))'",
      '-vsync',
      'vfr',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '30',
      path.join(dir, 'vfr.mp4'),
    ),
    ff('-i', src, '-t', '3', '-an', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', path.join(dir, 'rotated.mp4')),
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('frame plan', () => {
  it('keeps every select expression bounded, whatever the sample count', () => {
    const pts = Array.from({ length: 18_000 }, (_, i) => i / 30); // 10 min at 30 fps
    for (const n of [1, 24, 215, 1000, 10_000]) {
      const wanted = sampleTimestamps(600, n).map((t) => frameAt(pts, t));
      const chunks = planChunks(wanted, 'select');
      expect(new Set(chunks.flatMap((c) => c.frames))).toEqual(new Set(wanted));
      for (const c of chunks) expect(c.runs.length).toBeLessThanOrEqual(MAX_TERMS);
      const longest = Math.max(...chunks.map((c) => selectExpr(c, pts, 1e-4).length));
      expect(longest).toBeLessThan(MAX_TERMS * 70);
    }
  });
  it('starts every chunk on a keyframe and seeks onto it, not into the GOP before', () => {
    const pts = Array.from({ length: 18_000 }, (_, i) => i / 30); // 10 min at 30 fps, keyframe every 8 s
    const keyframes = pts.filter((_, i) => i % 240 === 0);
    for (const n of [215, 1000, 3000, 10_000]) {
      const wanted = sampleTimestamps(600, n).map((t) => frameAt(pts, t));
      const chunks = planChunks(wanted, 'select', pts, keyframes);
      expect(new Set(chunks.flatMap((c) => c.frames))).toEqual(new Set(wanted));
      const gop = (i: number): number => Math.floor(i / 240);
      for (let c = 1; c < chunks.length; c++) {
        expect(chunks[c].runs.length).toBeLessThanOrEqual(MAX_TERMS);
        // No GOP is shared by two chunks (each would decode it).
        expect(gop(chunks[c].frames[0])).toBeGreaterThan(gop(chunks[c - 1].frames.at(-1)!));
      }
      if (n <= MAX_TERMS) expect(chunks.length).toBe(1);
    }
    const sp = seekPoint(pts[500], pts, keyframes, 1e-4);
    expect(sp.onKeyframe).toBe(true);
    expect(sp.at).toBeGreaterThan(pts[480]); // past the keyframe at 16 s, so the demuxer lands on it
    expect(sp.at).toBeLessThan(pts[481]);
  });
  it('picks the frame shown at t, never one frame late', () => {
    const pts = [0, 0.0333, 0.0667, 0.1];
    expect(frameAt(pts, 0.0215)).toBe(0);
    expect(frameAt(pts, 0.0333)).toBe(1);
    expect(frameAt(pts, 0.0999)).toBe(2);
    expect(frameAt(pts, 5)).toBe(3);
    expect(frameAt([0.5, 1], 0.1)).toBe(0);
  });
  it.skipIf(!BINARIES[0][1].ffprobe)(
    'lists the same frames with ffprobe and with the bundled ffmpeg alone',
    async () => {
      const file = path.join(VIDEOS, 'rjsong_squat2.mp4');
      const a = await listFrames(file, BINARIES[0][1]);
      const b = await listFrames(file, BINARIES[1][1]);
      expect(a.pts.length).toBe(b.pts.length);
      for (let i = 0; i < a.pts.length; i++) expect(Math.abs(a.pts[i] - b.pts[i])).toBeLessThan(1e-5);
      expect(a.keyframes?.length).toBeGreaterThan(0);
      expect(b.keyframes).toBeNull();
    },
  );
});

describe.each(BINARIES)('sampled frames equal the decoded frames (%s ffmpeg)', (_name, tools) => {
  it.skipIf(!existsSync(tools.ffmpeg))('43-s camera clip, keyframe every 8 s', { timeout: 300_000 }, async () => {
    await checkClip(path.join(VIDEOS, 'rjsong_squat2.mp4'), tools, [24, 150, 215, 1000]);
  });
  it.skipIf(!existsSync(tools.ffmpeg))(
    'portrait 5-fps clip and an AI clip with one keyframe',
    { timeout: 300_000 },
    async () => {
      await checkClip(path.join(VIDEOS, 'tfjs_pose_squats.mp4'), tools, [24, 150, 215, 1000]);
      await checkClip(path.join(VIDEOS, 'gymnai_bicep_curl.mp4'), tools, [24, 150, 215, 1000]);
    },
  );
  it.skipIf(!existsSync(tools.ffmpeg))('VFR and rotated clips', { timeout: 300_000 }, async () => {
    await checkClip(path.join(dir, 'vfr.mp4'), tools, [24, 150, 215, 1000]);
    await checkClip(path.join(dir, 'rotated.mp4'), tools, [24, 215]);
    const r = await sampleFrames(path.join(dir, 'rotated.mp4'), { n: 2, maxSide: MAX_SIDE, format: 'rgba', tools });
    expect(r.frames[0].height).toBeGreaterThan(r.frames[0].width); // upright after the display matrix
  });
});

describe('frame cache', () => {
  it('caches only a complete sample, and "No cache" clears a hash\'s frame sets', async () => {
    const cache = path.join(dir, 'cache');
    const good = await sampleFramesToDir(path.join(dir, 'rotated.mp4'), cache, { n: 3, maxSide: MAX_SIDE });
    expect(good.cached).toBe(false);
    expect((await sampleFramesToDir(path.join(dir, 'rotated.mp4'), cache, { n: 3, maxSide: MAX_SIDE })).cached).toBe(
      true,
    );
    // A clip cut off mid-file: sampling fails loudly and leaves nothing behind to be served later.
    const whole = await readFile(path.join(VIDEOS, 'rjsong_squat.mp4'));
    await writeFile(path.join(dir, 'cut.mp4'), whole.subarray(0, Math.floor(whole.length * 0.5)));
    await expect(sampleFramesToDir(path.join(dir, 'cut.mp4'), cache, { n: 24, maxSide: MAX_SIDE })).rejects.toThrow();
    expect((await readdir(cache)).filter((n) => !n.startsWith('v2-' + good.contentHash.replace(':', '-')))).toEqual([]);
    expect(await clearCachedFrames(cache, good.contentHash)).toBe(1);
    expect(await readdir(cache)).toEqual([]);
  });
});
