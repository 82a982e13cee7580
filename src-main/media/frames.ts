/**
 * Sampling N frames of a video at the toolkit's timestamps (centre of N equal segments). Two strategies,
 * both starting with input seeking (`-ss T` before `-i`, accurate seek: jump to the keyframe before T, decode to T):
 *  - 'seek':   one short ffmpeg run per frame (`concurrency` at a time). Decodes only keyframe→T for each frame.
 *              Best for long videos with short GOPs (camera footage: a keyframe every 1–2 s).
 *  - 'select': one ffmpeg run, `-ss T0` then a `select` filter that keeps the first frame at/after each Ti.
 *              Decodes T0→T_last once. Best when keyframes are rare (many web/AI clips have ONE keyframe at 0,
 *              making every per-frame seek decode from the start: N× the work).
 *  - 'auto' (default): reads the keyframe index (ffprobe packet flags: demux only, ~0.1 s) and picks the
 *              strategy with fewer decoded frames (+ a per-process start-up cost). Never decodes past T_last.
 * bench/media.ts measures both against decoding every frame.
 *
 * Rotation: ffmpeg auto-rotates decoded frames by the display matrix, so frames come out upright;
 * output size is computed from the display size (probe.displayWidth × displayHeight).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sampleTimestamps } from '../../src-shared/keypoints/format.js';
import type { FrameFormat, VideoProbe } from '../../src-shared/media/types.js';
import { MediaError, throwIfAborted } from './errors.js';
import { findFfmpeg, runTool, tail, type FfmpegTools } from './ffmpeg.js';
import { hashFile } from './hash.js';
import { probe } from './probe.js';

export interface SampleOptions {
  /** Number of frames (default 24). Ignored when `timestamps` is given. */
  n?: number;
  /** Explicit timestamps in seconds (default sampleTimestamps(duration, n)). */
  timestamps?: number[];
  /** Longest side of the output, keeping aspect ratio; never upscales. Default 640. 0 = original size. */
  maxSide?: number;
  format?: FrameFormat;
  /** JPEG quality as ffmpeg -q:v (2 best … 31 worst). Default 3. */
  jpegQuality?: number;
  /** Parallel ffmpeg processes. Default 2. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
  /** Reuse a probe result (saves one ffprobe run). */
  probe?: VideoProbe;
  tools?: FfmpegTools;
  strategy?: 'auto' | 'seek' | 'select';
}

export interface SampledFrame {
  index: number;
  /** Timestamp asked for (s). */
  requested: number;
  /** Presentation time of the frame actually decoded (s), from ffmpeg's showinfo. */
  time: number;
  width: number;
  height: number;
  format: FrameFormat;
  data: Buffer;
}

export interface SampleResult {
  probe: VideoProbe;
  frames: SampledFrame[];
  /** Timestamps actually used (= frames[i].time). */
  timestamps: number[];
  strategy: 'seek' | 'select';
}

/** Output size for a display size and maxSide, keeping aspect, even numbers (for yuv encoders). */
export function fitSize(w: number, h: number, maxSide: number): { width: number; height: number } {
  if (!maxSide || Math.max(w, h) <= maxSide) return { width: w, height: h };
  const s = maxSide / Math.max(w, h);
  const even = (x: number): number => Math.max(2, Math.round((x * s) / 2) * 2);
  return { width: even(w), height: even(h) };
}

function encodeArgs(format: FrameFormat, q: number): string[] {
  switch (format) {
    case 'jpeg':
      return ['-f', 'image2pipe', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', String(q)];
    case 'png':
      return ['-f', 'image2pipe', '-c:v', 'png', '-pix_fmt', 'rgb24'];
    case 'rgba':
      return ['-f', 'rawvideo', '-pix_fmt', 'rgba'];
  }
}

/** Decode one frame at t (s). Returns null when ffmpeg produced no frame (seek past the last frame). */
async function decodeAt(
  file: string,
  t: number,
  size: { width: number; height: number },
  format: FrameFormat,
  q: number,
  tools: FfmpegTools,
  signal?: AbortSignal,
): Promise<{ data: Buffer; time: number } | null> {
  const args = [
    '-hide_banner', '-nostats', '-loglevel', 'info',
    '-ss', t.toFixed(3), '-copyts', '-i', file,
    '-map', '0:v:0', '-frames:v', '1', '-an', '-sn',
    '-vf', `scale=${size.width}:${size.height}:flags=bilinear,showinfo`,
    ...encodeArgs(format, q), 'pipe:1',
  ];
  const r = await runTool(tools.ffmpeg, args, { signal, timeoutMs: 120_000 });
  if (r.code !== 0) throw new MediaError('corrupt', `Could not decode a frame at ${t.toFixed(2)} s of ${path.basename(file)} (${file})`, file, tail(r.stderr));
  if (r.stdout.length === 0) return null;
  if (format === 'rgba' && r.stdout.length !== size.width * size.height * 4)
    throw new MediaError('corrupt', `Frame at ${t.toFixed(2)} s of ${file} has the wrong size`, file);
  const m = /pts_time:\s*(-?[\d.]+)/.exec(r.stderr);
  return { data: r.stdout, time: m ? Math.round(Number(m[1]) * 1e6) / 1e6 : t };
}

async function pool<T>(n: number, count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(n, count)) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await fn(i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Keyframe times (s) of the first video stream from packet flags (demux only). null without ffprobe. */
export async function listKeyframes(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<number[] | null> {
  if (!tools.ffprobe) return null;
  const r = await runTool(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file], { signal, timeoutMs: 120_000 });
  if (r.code !== 0) return null;
  const out: number[] = [];
  for (const line of r.stdout.toString('latin1').split('\n')) {
    const [t, flags] = line.split(',');
    if (flags?.includes('K') && t !== 'N/A') out.push(Number(t));
  }
  return out.sort((a, b) => a - b);
}

/** Per-process start-up cost, in "decoded frames" (measured: ~0.15 s ≈ 30 frames of 720p h264 on one core). */
const SPAWN_COST_FRAMES = 30;

export function chooseStrategy(times: number[], keyframes: number[] | null, fps: number, frameCount: number): 'seek' | 'select' {
  if (times.length <= 1) return 'seek';
  if (!keyframes || keyframes.length === 0) return frameCount <= 2000 ? 'select' : 'seek';
  const kfBefore = (t: number): number => {
    let k = 0;
    for (const x of keyframes) if (x <= t + 1e-6) k = x; else break;
    return k;
  };
  const seekCost = times.reduce((acc, t) => acc + (t - kfBefore(t)) * fps + SPAWN_COST_FRAMES, 0);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const selectCost = (last - kfBefore(first)) * fps + SPAWN_COST_FRAMES;
  return selectCost <= seekCost ? 'select' : 'seek';
}

/** Split concatenated encoder output into images. */
function splitImages(buf: Buffer, format: FrameFormat, frameBytes: number): Buffer[] {
  const out: Buffer[] = [];
  if (format === 'rgba') {
    for (let o = 0; o + frameBytes <= buf.length; o += frameBytes) out.push(buf.subarray(o, o + frameBytes));
    return out;
  }
  if (format === 'png') {
    let o = 0;
    while (o + 8 <= buf.length) {
      let p = o + 8; // signature
      while (p + 8 <= buf.length) {
        const len = buf.readUInt32BE(p);
        const type = buf.toString('latin1', p + 4, p + 8);
        p += 12 + len;
        if (type === 'IEND') break;
      }
      out.push(buf.subarray(o, p));
      o = p;
    }
    return out;
  }
  // JPEG: entropy-coded data never contains FF D9 (byte stuffing), so each image ends at its EOI.
  let start = 0;
  for (let i = 0; i + 1 < buf.length; i++) {
    if (buf[i] === 0xff && buf[i + 1] === 0xd9) {
      out.push(buf.subarray(start, i + 2));
      start = i + 2;
      i++;
    }
  }
  return out;
}

async function decodeSelect(
  file: string,
  times: number[],
  fps: number,
  size: { width: number; height: number },
  format: FrameFormat,
  q: number,
  tools: FfmpegTools,
  signal?: AbortSignal,
): Promise<Array<{ data: Buffer; time: number } | null>> {
  // Same rule as ffmpeg's accurate seek: the frame *displayed* at Ti, i.e. the first frame ending after Ti
  // (pts > Ti - frameDuration), with 1 ms tolerance for timestamps rounded to milliseconds.
  const dur = 1 / (fps || 25);
  const thr = (t: number): number => Math.max(0, t - dur + 0.001);
  const sorted = [...new Set(times.map(thr))].sort((a, b) => a - b);
  const t0 = Math.min(...times);
  // keep the first frame at/after each Ti (prev_selected_t is NaN before the first selection)
  const terms = sorted.map((t, i) => (i === 0 ? `gte(t\\,${t.toFixed(6)})*isnan(prev_selected_t)` : `gte(t\\,${t.toFixed(6)})*lt(prev_selected_t\\,${t.toFixed(6)})`));
  const args = [
    '-hide_banner', '-nostats', '-loglevel', 'info',
    '-ss', t0.toFixed(3), '-copyts', '-i', file,
    '-map', '0:v:0', '-an', '-sn',
    '-vf', `select='${terms.join('+')}',scale=${size.width}:${size.height}:flags=bilinear,showinfo`,
    '-vsync', '0', ...encodeArgs(format, q), 'pipe:1',
  ];
  const r = await runTool(tools.ffmpeg, args, { signal, timeoutMs: 600_000 });
  if (r.code !== 0) throw new MediaError('corrupt', `Could not decode frames of ${path.basename(file)} (${file})`, file, tail(r.stderr));
  const pts = [...r.stderr.matchAll(/\] n:\s*\d+ .*?pts_time:\s*(-?[\d.]+)/g)].map((m) => Number(m[1]));
  const imgs = splitImages(r.stdout, format, size.width * size.height * 4);
  const n = Math.min(pts.length, imgs.length);
  return times.map((t) => {
    for (let i = 0; i < n; i++) if (pts[i] >= thr(t) - 1e-6) return { data: imgs[i], time: Math.round(pts[i] * 1e6) / 1e6 };
    return null; // past the last frame → caller falls back to a seek a bit earlier
  });
}

/** Sample frames (in memory). Deterministic for the same file and options. */
export async function sampleFrames(file: string, opts: SampleOptions = {}): Promise<SampleResult> {
  const tools = opts.tools ?? findFfmpeg();
  const p = opts.probe ?? (await probe(file, { signal: opts.signal, tools }));
  const format = opts.format ?? 'jpeg';
  const times = opts.timestamps ?? sampleTimestamps(p.duration, opts.n ?? 24);
  const size = fitSize(p.displayWidth, p.displayHeight, opts.maxSide ?? 640);
  const q = opts.jpegQuality ?? 3;
  let strategy = opts.strategy ?? 'auto';
  if (strategy === 'auto') strategy = chooseStrategy(times, await listKeyframes(file, tools, opts.signal), p.fps, p.frameCount);
  let done = 0;
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const pre = strategy === 'select' && times.length > 0 ? await decodeSelect(file, times, p.fps, size, format, q, tools, ac.signal) : null;
    if (pre) opts.onProgress?.({ done: (done = pre.filter(Boolean).length), total: times.length });
    const frames = await pool(opts.concurrency ?? 2, times.length, async (i) => {
      throwIfAborted(ac.signal, 'Frame sampling');
      const t = times[i];
      let got = pre ? pre[i] : await decodeAt(file, t, size, format, q, tools, ac.signal);
      // Past the last decodable frame (VFR tail, short last segment): step back one frame at a time, up to 1 s.
      const step = 1 / (p.fps || 25);
      for (let back = step; !got && back <= 1 + 1e-9 && t - back >= 0; back += step) got = await decodeAt(file, t - back, size, format, q, tools, ac.signal);
      if (!got) throw new MediaError('corrupt', `No frame could be decoded near ${t.toFixed(2)} s of ${path.basename(file)} (truncated?): ${file}`, file);
      if (!pre || !pre[i]) opts.onProgress?.({ done: ++done, total: times.length });
      return { index: i, requested: t, time: got.time, width: size.width, height: size.height, format, data: got.data } satisfies SampledFrame;
    });
    return { probe: p, frames, timestamps: frames.map((f) => f.time), strategy };
  } catch (e) {
    ac.abort();
    if (opts.signal?.aborted) throw new MediaError('aborted', 'Frame sampling was cancelled.', file);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

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

/**
 * Like sampleFrames but writes frames to `<cacheDir>/<contentHash>-<n>-<maxSide>-<format>/frame_000.jpg …`
 * plus meta.json, atomically (temp dir + rename). A second call with the same content and options returns the
 * cached listing without running ffmpeg. Keyed by content hash, so renamed/moved files hit the cache.
 */
export async function sampleFramesToDir(file: string, cacheDir: string, opts: SampleOptions = {}): Promise<CachedFrames> {
  const format = opts.format ?? 'jpeg';
  const { hash } = await hashFile(file, { signal: opts.signal });
  const n = opts.timestamps ? `t${opts.timestamps.length}x${hashTimes(opts.timestamps)}` : String(opts.n ?? 24);
  const key = `${hash.replace(':', '-')}-${n}-${opts.maxSide ?? 640}-${format}`;
  const dir = path.join(cacheDir, key);
  try {
    const meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as CachedFrames;
    return { ...meta, dir, cached: true };
  } catch {
    /* not cached */
  }
  const res = await sampleFrames(file, opts);
  const ext = format === 'jpeg' ? 'jpg' : format === 'png' ? 'png' : 'rgba';
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    const files = res.frames.map((f) => `frame_${String(f.index).padStart(3, '0')}.${ext}`);
    await Promise.all(res.frames.map((f, i) => writeFile(path.join(tmp, files[i]), f.data)));
    const meta: Omit<CachedFrames, 'dir' | 'cached'> = {
      files,
      timestamps: res.timestamps,
      requested: res.frames.map((f) => f.requested),
      width: res.frames[0]?.width ?? 0,
      height: res.frames[0]?.height ?? 0,
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

function hashTimes(ts: number[]): string {
  let h = 2166136261;
  for (const c of ts.join(',')) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16);
}
