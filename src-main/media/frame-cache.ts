/**
 * The frame cache: sampled frames on disk under `<cacheDir>/v2-<contentHash>-<n>-<maxSide>-<format>/`
 * (frame_000.jpg … plus meta.json), written atomically (temp dir + rename), keyed by content so renamed or
 * moved files hit it. A failed sample is never cached. Frames being sampled are shared: a second caller asking
 * for the same entry (the page asking for frames the CLI already started) waits for the first instead of
 * running ffmpeg again. Several frame sets of one file can come from one decode (`sampleFrameSetsToDir`).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sampleTimestamps } from '../../src-shared/keypoints/format.js';
import type { FrameFormat } from '../../src-shared/media/types.js';
import { hashFile } from './hash.js';
import { MAX_SAMPLES, sampleFrames, type SampledFrame, type SampleOptions } from './frames.js';
import { probe } from './probe.js';

export interface CachedFrames {
  dir: string;
  /** File names inside dir, in frame order. */
  files: string[];
  timestamps: number[];
  requested: number[];
  width: number;
  height: number;
  format: FrameFormat;
  contentHash: string;
  /** true when served from the cache without decoding. */
  cached: boolean;
}

/** Entries being sampled now, by directory. */
const inFlight = new Map<string, Promise<CachedFrames>>();

function entryDir(cacheDir: string, hash: string, opts: SampleOptions): string {
  const n = opts.timestamps ? `t${opts.timestamps.length}x${hashTimes(opts.timestamps)}` : String(opts.n ?? 24);
  // v2: frames from the exact picker (older entries could hold wrong frames)
  return path.join(cacheDir, `v2-${hash.replace(':', '-')}-${n}-${opts.maxSide ?? 640}-${opts.format ?? 'jpeg'}`);
}

async function readEntry(dir: string): Promise<CachedFrames | null> {
  try {
    const meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as CachedFrames;
    return { ...meta, dir, cached: true };
  } catch {
    return null; // not cached
  }
}

async function writeEntry(
  dir: string,
  frames: SampledFrame[],
  format: FrameFormat,
  hash: string,
): Promise<CachedFrames> {
  const ext = format === 'jpeg' ? 'jpg' : format === 'png' ? 'png' : 'rgba';
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await mkdir(tmp, { recursive: true });
  try {
    const files = frames.map((_, i) => `frame_${String(i).padStart(3, '0')}.${ext}`);
    await Promise.all(frames.map((f, i) => writeFile(path.join(tmp, files[i]), f.data)));
    const meta: Omit<CachedFrames, 'dir' | 'cached'> = {
      files,
      timestamps: frames.map((f) => f.time),
      requested: frames.map((f) => f.requested),
      width: frames[0]?.width ?? 0,
      height: frames[0]?.height ?? 0,
      format,
      contentHash: hash,
    };
    await writeFile(path.join(tmp, 'meta.json'), JSON.stringify(meta));
    try {
      await rename(tmp, dir);
    } catch {
      await rm(tmp, { recursive: true, force: true }); // another process won the race: its result is identical
    }
    return { ...meta, dir, cached: false };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

function track(dir: string, p: Promise<CachedFrames>): Promise<CachedFrames> {
  inFlight.set(dir, p);
  const done = (): void => {
    if (inFlight.get(dir) === p) inFlight.delete(dir);
  };
  p.then(done, done);
  return p;
}

/** An entry already there or on its way; a failed in-flight attempt (e.g. cancelled by its caller) is retried by us. */
async function existing(dir: string): Promise<CachedFrames | null> {
  const running = inFlight.get(dir);
  if (running) return running.catch(() => null);
  return readEntry(dir);
}

/** Like sampleFrames, through the cache: a second call with the same content and options runs no ffmpeg. */
export async function sampleFramesToDir(
  file: string,
  cacheDir: string,
  opts: SampleOptions = {},
): Promise<CachedFrames> {
  const { hash } = await hashFile(file, { signal: opts.signal });
  const dir = entryDir(cacheDir, hash, opts);
  const have = await existing(dir);
  if (have) return have;
  return track(
    dir,
    sampleFrames(file, opts).then((r) => writeEntry(dir, r.frames, opts.format ?? 'jpeg', hash)),
  );
}

/**
 * Several frame counts of one file (the model's N and the dense rep frames) from one decode: each set holds
 * exactly the frames `sampleFramesToDir(file, cacheDir, { ...opts, n })` would (same timestamps, the same
 * frame picked by pts, same scaling and encoder) and goes to that call's own cache entry. Cached sets are not
 * sampled again.
 */
export async function sampleFrameSetsToDir(
  file: string,
  cacheDir: string,
  counts: number[],
  opts: Omit<SampleOptions, 'n' | 'timestamps'> = {},
): Promise<CachedFrames[]> {
  const { hash } = await hashFile(file, { signal: opts.signal });
  const dirs = counts.map((n) => entryDir(cacheDir, hash, { ...opts, n }));
  const have = await Promise.all(dirs.map(existing));
  const missing = counts.flatMap((n, i) => (have[i] ? [] : [i]));
  if (missing.length === 0) return have as CachedFrames[];
  const total = missing.reduce((s, i) => s + counts[i], 0);
  if (missing.length === 1 || total > MAX_SAMPLES)
    return Promise.all(counts.map((n, i) => have[i] ?? sampleFramesToDir(file, cacheDir, { ...opts, n })));
  const p = opts.probe ?? (await probe(file, { signal: opts.signal, tools: opts.tools }));
  const times = missing.map((i) => sampleTimestamps(p.duration, counts[i]));
  const all = sampleFrames(file, { ...opts, probe: p, timestamps: times.flat() });
  all.catch(() => undefined); // each set's entry reports it
  let offset = 0;
  const made = new Map<number, Promise<CachedFrames>>();
  for (const [k, i] of missing.entries()) {
    const from = offset;
    const to = (offset += times[k].length);
    const set = all.then((r) => writeEntry(dirs[i], r.frames.slice(from, to), opts.format ?? 'jpeg', hash));
    made.set(i, track(dirs[i], set));
  }
  return Promise.all(counts.map((_, i) => have[i] ?? made.get(i)!));
}

/** Remove every cached frame set of one content hash ("No cache": frames are sampled again, not only keypoints). */
export async function clearCachedFrames(cacheDir: string, contentHash: string): Promise<number> {
  const h = contentHash.replace(':', '-');
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const mine = names.filter((n) => n.startsWith(`v2-${h}-`) || n.startsWith(`${h}-`));
  await Promise.all(mine.map((n) => rm(path.join(cacheDir, n), { recursive: true, force: true })));
  return mine.length;
}

function hashTimes(ts: number[]): string {
  let h = 2166136261;
  for (const c of ts.join(',')) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16);
}
