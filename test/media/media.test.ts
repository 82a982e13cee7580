import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTimestamps } from '../../src-shared/keypoints/format.js';
import {
  MediaError,
  findFfmpeg,
  hashFile,
  importVideos,
  needsPreview,
  previewTranscode,
  probe,
  sampleFrames,
  sampleFramesToDir,
  scanForVideos,
  thumbnail,
} from '../../src-main/media/index.js';
import { VIDEOS, ff, makeAvi, tmpDir } from './helpers.js';

const SQUAT = path.join(VIDEOS, 'gymnai_squat.mp4'); // 1280x720 24 fps 8 s, audio, one keyframe
const PORTRAIT = path.join(VIDEOS, 'tfjs_pose_squats.mp4'); // 720x1280 5 fps 13 s
let dir: string;
const f = (name: string): string => path.join(dir, name);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(MediaError);
    return (e as MediaError).code;
  }
}

beforeAll(async () => {
  dir = await tmpDir('media');
  await Promise.all([
    ff('-i', SQUAT, '-t', '3', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', f('rotated.mp4')),
    makeAvi(SQUAT, f('clip.avi'), 1.5),
    ff('-f', 'lavfi', '-i', 'sine=d=1', f('audio.m4a')),
  ]);
  const sq = await readFile(SQUAT);
  await writeFile(f('truncated.mp4'), sq.subarray(0, 400_000)); // moov is at the end: lost
  const avi = await readFile(f('clip.avi'));
  await writeFile(f('truncated.avi'), avi.subarray(0, Math.floor(avi.length * 0.4)));
  // unknown fourcc: ffmpeg has no decoder for it
  const bad = Buffer.from(avi);
  for (const tag of ['XVID', 'FMP4'])
    for (let i = bad.indexOf(tag); i >= 0; i = bad.indexOf(tag, i + 1)) bad.write('QQQQ', i, 'latin1');
  await writeFile(f('badcodec.avi'), bad);
  await writeFile(f('empty.mp4'), Buffer.alloc(0));
  await writeFile(f('notes.mp4'), 'this is a text file, not a video\n');
  await copyFile(path.join(VIDEOS, '../coco/000000000785.jpg'), f('photo.mov'));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probe', () => {
  it('reads a real clip with ffprobe', async () => {
    const p = await probe(SQUAT);
    expect(p).toMatchObject({
      duration: 8,
      fps: 24,
      frameCount: 192,
      frameCountExact: true,
      width: 1280,
      height: 720,
      rotation: 0,
      codec: 'h264',
      hasAudio: true,
      audioCodec: 'aac',
      probedWith: 'ffprobe',
    });
    const q = await probe(PORTRAIT);
    expect(q).toMatchObject({ width: 720, height: 1280, fps: 5, frameCount: 65, hasAudio: false });
  });
  it('parses `ffmpeg -i` when there is no ffprobe (bundled static ffmpeg)', async () => {
    const tools = { ...findFfmpeg(), ffprobe: null, ffprobeSource: null, ffprobeVersion: null };
    const p = await probe(SQUAT, { tools });
    expect(p).toMatchObject({
      duration: 8,
      fps: 24,
      frameCount: 192,
      frameCountExact: false,
      width: 1280,
      height: 720,
      codec: 'h264',
      hasAudio: true,
      probedWith: 'ffmpeg',
    });
    const r = await probe(f('rotated.mp4'), { tools });
    expect(r).toMatchObject({ rotation: 270, displayWidth: 720, displayHeight: 1280 });
  });
  it('reports rotation from the display matrix', async () => {
    const p = await probe(f('rotated.mp4'));
    expect(p).toMatchObject({ rotation: 270, width: 1280, height: 720, displayWidth: 720, displayHeight: 1280 });
  });
  it('reads an Xvid AVI', async () => {
    expect(await probe(f('clip.avi'))).toMatchObject({
      codec: 'mpeg4',
      container: 'avi',
      width: 320,
      height: 240,
      fps: 24,
      hasAudio: false,
    });
  });
  it('gives a typed error for each kind of bad file', async () => {
    expect(await codeOf(probe(f('missing.mp4')))).toBe('missing');
    expect(await codeOf(probe(f('empty.mp4')))).toBe('empty');
    expect(await codeOf(probe(f('notes.mp4')))).toBe('not_video');
    expect(await codeOf(probe(f('photo.mov')))).toBe('not_video');
    expect(await codeOf(probe(f('truncated.mp4')))).toBe('corrupt');
    expect(await codeOf(probe(f('truncated.avi'), { verifyDecode: true }))).toBe('corrupt');
    expect(await codeOf(probe(f('audio.m4a')))).toBe('no_video_stream');
    expect(await codeOf(probe(f('badcodec.avi')))).toBe('unsupported_codec');
    const e = (await probe(f('truncated.mp4')).catch((x: unknown) => x)) as MediaError;
    expect(e.message).toContain(f('truncated.mp4')); // says where
  });
  it('remembers a probe while the file is unchanged (shared while running), probes again once it changes', async () => {
    // The real tools behind a wrapper that logs each run.
    const log = f('probe-runs.log');
    const tools = findFfmpeg();
    const wrap = async (name: string, real: string) => {
      const w = f(name);
      await writeFile(w, `#!/bin/sh\necho ${name} >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
      return w;
    };
    const counted = {
      ...tools,
      ffprobe: await wrap('counted-ffprobe', tools.ffprobe!),
      ffmpeg: await wrap('counted-ffmpeg', tools.ffmpeg),
    };
    const runs = async () => {
      const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      return {
        ffprobe: lines.filter((l) => l === 'counted-ffprobe').length,
        ffmpeg: lines.filter((l) => l === 'counted-ffmpeg').length,
      };
    };
    const file = f('remembered.mp4');
    await copyFile(SQUAT, file);
    // `score`'s early probe, its decode check and the import's decode check, at once: one ffprobe, one check.
    const [a, b, c] = await Promise.all([
      probe(file, { tools: counted }),
      probe(file, { tools: counted, verifyDecode: true }),
      probe(file, { tools: counted, verifyDecode: true }),
    ]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await runs()).toEqual({ ffprobe: 1, ffmpeg: 2 }); // the check decodes two frames
    expect(await probe(file, { tools: counted })).toEqual(a);
    expect(await runs()).toEqual({ ffprobe: 1, ffmpeg: 2 });
    // A caller's cancel stops that caller only.
    const ac = new AbortController();
    await utimes(file, new Date(), new Date(Date.now() + 10_000)); // changed: probed again
    const cancelled = probe(file, { tools: counted, signal: ac.signal });
    const other = probe(file, { tools: counted });
    ac.abort();
    expect(await codeOf(cancelled)).toBe('aborted');
    expect((await other).duration).toBe(8);
    expect((await runs()).ffprobe).toBe(2);
    // A failure is not remembered: a bad file is read again each time (it may have been mended).
    const bad = f('bad-remembered.mp4');
    await writeFile(bad, 'not a video\n');
    expect(await codeOf(probe(bad, { tools: counted }))).toBe('not_video');
    expect(await codeOf(probe(bad, { tools: counted }))).toBe('not_video');
    expect((await runs()).ffprobe).toBe(4);
  });
});

describe('sampleFrames', () => {
  it('samples 24 JPEG frames at the shared timestamps, deterministically, both strategies agree', async () => {
    const a = await sampleFrames(SQUAT, { n: 24, maxSide: 320 });
    expect(a.frames).toHaveLength(24);
    expect(a.strategy).toBe('select'); // one keyframe in this clip: per-frame seeks would decode from 0 each time
    const want = sampleTimestamps(8, 24);
    a.timestamps.forEach((t, i) => expect(Math.abs(t - want[i])).toBeLessThanOrEqual(1 / 24 + 1e-3));
    expect(a.frames[0]).toMatchObject({ width: 320, height: 180, format: 'jpeg' });
    for (const fr of a.frames) expect(fr.data.subarray(0, 2).toString('hex')).toBe('ffd8');
    const b = await sampleFrames(SQUAT, { n: 24, maxSide: 320 });
    expect(b.frames.map((x) => x.data.equals(a.frames[b.frames.indexOf(x)].data))).toEqual(Array(24).fill(true));
    const s = await sampleFrames(SQUAT, { n: 4, maxSide: 320, strategy: 'seek' });
    const s2 = await sampleFrames(SQUAT, { n: 4, maxSide: 320, strategy: 'select' });
    expect(s.timestamps).toEqual(s2.timestamps);
  }, 120_000);
  it('applies rotation and supports png and raw rgba', async () => {
    const r = await sampleFrames(f('rotated.mp4'), { n: 3, maxSide: 64, format: 'rgba' });
    expect(r.frames.map((x) => [x.width, x.height, x.data.length])).toEqual(Array(3).fill([36, 64, 36 * 64 * 4]));
    const p = await sampleFrames(PORTRAIT, { n: 2, maxSide: 100, format: 'png' });
    expect(p.frames[0].data.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([p.frames[0].width, p.frames[0].height]).toEqual([56, 100]);
  });
  it('can be cancelled', async () => {
    const ac = new AbortController();
    const pr = sampleFrames(path.join(VIDEOS, 'rjsong_squat2.mp4'), { n: 24, strategy: 'seek', signal: ac.signal });
    setTimeout(() => ac.abort(), 150);
    expect(await codeOf(pr)).toBe('aborted');
  });
  it('caches frames on disk by content hash', async () => {
    const cache = f('cache');
    const a = await sampleFramesToDir(f('clip.avi'), cache, { n: 6, maxSide: 160 });
    expect(a.cached).toBe(false);
    expect((await readdir(a.dir)).sort()).toEqual([...a.files, 'meta.json'].sort());
    await copyFile(f('clip.avi'), f('clip-copy.avi'));
    const b = await sampleFramesToDir(f('clip-copy.avi'), cache, { n: 6, maxSide: 160 });
    expect(b).toMatchObject({ cached: true, dir: a.dir, timestamps: a.timestamps });
  });
});

describe('thumbnail / preview', () => {
  it('makes a cached JPEG thumbnail', async () => {
    const a = await thumbnail(SQUAT, { cacheDir: f('thumbs'), maxSide: 160 });
    expect(a.cached).toBe(false);
    expect((await readFile(a.path)).subarray(0, 2).toString('hex')).toBe('ffd8');
    expect((await thumbnail(SQUAT, { cacheDir: f('thumbs'), maxSide: 160 })).cached).toBe(true);
  });
  it('decides which files need a preview', async () => {
    expect(needsPreview(await probe(SQUAT)).needed).toBe(false);
    expect(needsPreview(await probe(f('clip.avi')))).toMatchObject({
      needed: true,
      reason: expect.stringContaining('AVI'),
    });
  });
  it('transcodes an AVI to faststart H.264 MP4 with progress', async () => {
    const events: number[] = [];
    const out = f('preview/clip.mp4');
    await previewTranscode(f('clip.avi'), out, { onProgress: (p) => events.push(p.fraction) });
    const p = await probe(out);
    expect(p).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 320, height: 240 });
    expect(needsPreview(p).needed).toBe(false);
    const head = (await readFile(out)).toString('latin1');
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat')); // faststart
    expect(events.at(-1)).toBe(1);
  });
  it('cancels a transcode and leaves no file behind', async () => {
    const ac = new AbortController();
    const out = f('preview/cancel.mp4');
    const pr = previewTranscode(path.join(VIDEOS, 'rjsong_squat.mp4'), out, {
      signal: ac.signal,
      onProgress: (p) => p.outTime > 0 && ac.abort(),
    });
    setTimeout(() => ac.abort(), 3000);
    expect(await codeOf(pr)).toBe('aborted');
    await expect(stat(out)).rejects.toThrow();
    await expect(stat(`${out}.part`)).rejects.toThrow();
  }, 20_000);
});

describe('hashFile', () => {
  it('hashes the full content (sha256) or a documented sample', async () => {
    const full = await hashFile(SQUAT);
    expect(full.hash).toBe(
      `sha256:${createHash('sha256')
        .update(await readFile(SQUAT))
        .digest('hex')}`,
    );
    const s = await hashFile(SQUAT, { mode: 'sampled' });
    expect(s.hash).toMatch(/^sha256s:[0-9a-f]{64}$/);
    expect(s.hash).not.toBe(full.hash.replace('sha256:', 'sha256s:'));
  });

  it('remembers a hash while the file is unchanged, and reads it again once it changes', async () => {
    const file = f('remembered.bin');
    const sha = (x: string) => `sha256:${createHash('sha256').update(x).digest('hex')}`;
    await writeFile(file, 'one');
    const first = await hashFile(file);
    expect(first.hash).toBe(sha('one'));
    expect(await hashFile(file)).toBe(first); // the remembered result: the file was not read again
    await writeFile(file, 'two'); // same size
    await utimes(file, new Date(), new Date(Date.now() + 10_000));
    expect((await hashFile(file)).hash).toBe(sha('two'));
    await rm(file);
    await expect(hashFile(file)).rejects.toThrow(/not found/);
  });
});

describe('scan + import', () => {
  let lib: string;
  beforeAll(async () => {
    lib = f('library');
    await mkdir(path.join(lib, 'exercises_train', 'deep'), { recursive: true });
    await mkdir(path.join(lib, 'exercises_test'), { recursive: true });
    await mkdir(path.join(lib, 'PushUps'), { recursive: true });
    await symlink(SQUAT, path.join(lib, 'exercises_train', 'squat_001.MP4'));
    await copyFile(f('clip.avi'), path.join(lib, 'exercises_train', 'deep', 'v_BodyWeightSquats_g01_c01.avi'));
    await copyFile(f('clip.avi'), path.join(lib, 'exercises_test', 'same_content.avi'));
    await copyFile(f('truncated.mp4'), path.join(lib, 'exercises_test', 'broken_pushup.mp4'));
    await copyFile(f('empty.mp4'), path.join(lib, 'PushUps', 'clip.mkv'));
    await writeFile(path.join(lib, 'readme.txt'), 'not a video');
  });
  it('finds videos recursively with relative paths, split and exercise type', async () => {
    const r = await scanForVideos([lib]);
    expect(r.root).toBe(lib);
    expect(r.videos.map((v) => [v.relPath, v.split, v.exerciseType])).toEqual([
      ['PushUps/clip.mkv', null, 'pushup'],
      ['exercises_test/broken_pushup.mp4', 'test', 'pushup'],
      ['exercises_test/same_content.avi', 'test', null],
      ['exercises_train/deep/v_BodyWeightSquats_g01_c01.avi', 'train', 'squat'],
      ['exercises_train/squat_001.MP4', 'train', 'squat'],
    ]);
  });
  it('imports, reporting per-video errors and duplicates, and goes on', async () => {
    const progress: number[] = [];
    const r = await importVideos([lib], { onProgress: (p) => progress.push(p.done) });
    expect(r.cancelled).toBe(false);
    const by = Object.fromEntries(r.records.map((x) => [x.relPath, x]));
    expect(by['PushUps/clip.mkv']).toMatchObject({ status: 'error', code: 'empty' });
    expect(by['exercises_test/broken_pushup.mp4']).toMatchObject({ status: 'error', code: 'corrupt' });
    expect(by['exercises_train/squat_001.MP4']).toMatchObject({ status: 'ok', split: 'train', probe: { duration: 8 } });
    const a = by['exercises_test/same_content.avi'];
    const b = by['exercises_train/deep/v_BodyWeightSquats_g01_c01.avi'];
    expect(a.status === 'ok' && b.status === 'ok' && a.contentHash === b.contentHash).toBe(true);
    expect([a, b].filter((x) => x.status === 'ok' && x.duplicateOf)).toHaveLength(1);
    expect(progress.at(-1)).toBe(5);
    // Content the library already has is recorded as known, not probed and checked again.
    const squatHash = (by['exercises_train/squat_001.MP4'] as { contentHash: string }).contentHash;
    const again = await importVideos([lib], { knownHashes: (h) => (h === squatHash ? 'videos/squat.mp4' : null) });
    const known = again.records.find((x) => x.relPath === 'exercises_train/squat_001.MP4');
    expect(known).toEqual(
      expect.objectContaining({ status: 'known', contentHash: squatHash, knownAs: 'videos/squat.mp4' }),
    );
    expect(known).not.toHaveProperty('probe');
    expect(again.records.filter((x) => x.status === 'error')).toHaveLength(2); // the others as before
  }, 120_000);
  it('stops on cancel and returns what was done', async () => {
    const ac = new AbortController();
    const r = await importVideos([lib], {
      signal: ac.signal,
      concurrency: 1,
      onProgress: (p) => p.done === 1 && ac.abort(),
    });
    expect(r.cancelled).toBe(true);
    expect(r.records.length).toBeLessThan(5);
  });
});
