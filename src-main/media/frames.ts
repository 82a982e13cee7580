/**
 * Sampling frames of a video at given timestamps (default: the toolkit's, centre of N equal segments).
 * Exact: each sample is the frame displayed at its time, found in the container's frame list and kept by its
 * pts (frame-plan.ts), so VFR clips and any ffmpeg build give the same frames as decoding every frame.
 *  - 'seek':   one short ffmpeg run per frame (`concurrency` at a time): input seek, decode keyframe→frame.
 *              Best for a few frames of a long video with short GOPs (camera footage).
 *  - 'select': runs of up to MAX_TERMS stretches of consecutive frames each; decodes each stretch once.
 *              Best for dense sampling and for clips with rare keyframes.
 *  - 'auto' (default): picks the cheaper from the keyframe index (ffprobe; without it 'select').
 * bench/frames.ts measures this against decoding every frame.
 *
 * Rotation: ffmpeg auto-rotates decoded frames by the display matrix, so frames come out upright;
 * output size is computed from the display size (probe.displayWidth × displayHeight).
 */
import path from 'node:path';
import { sampleTimestamps } from '../../src-shared/keypoints/format.js';
import type { FrameFormat, VideoProbe } from '../../src-shared/media/types.js';
import { MediaError, throwIfAborted } from './errors.js';
import { findFfmpeg, runTool, tail, type FfmpegTools } from './ffmpeg.js';
import {
  chooseStrategy,
  frameAt,
  listFrames,
  planChunks,
  ptsTolerance,
  seekPoint,
  selectExpr,
  type Chunk,
  type FrameList,
} from './frame-plan.js';
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

/** Keyframe times (s) of the first video stream (ffprobe packet flags: demux only). null without ffprobe. */
export async function listKeyframes(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<number[] | null> {
  return (await listFrames(file, tools, signal)).keyframes;
}

/** Most timestamps in one call (10,000 ≈ 16 fps over 10 min). */
export const MAX_SAMPLES = 10_000;

/** Exact frame times from showinfo: integer pts × its input time base (pts_time is printed with 6 digits only). */
export function showinfoTimes(stderr: string): number[] {
  const tb = /config in time_base:\s*(\d+)\/(\d+)/.exec(stderr);
  const scale = tb && Number(tb[2]) > 0 ? Number(tb[1]) / Number(tb[2]) : null;
  return [...stderr.matchAll(/\] n:\s*\d+ pts:\s*(-?\d+)\s+pts_time:\s*(-?[\d.e+-]+)/g)].map((m) =>
    scale ? Number(m[1]) * scale : Number(m[2]),
  );
}

interface Decoded {
  data: Buffer;
  time: number;
}

/**
 * One ffmpeg run for one chunk: input seek onto its first frame's keyframe (`-copyts` keeps the file's
 * timeline), `select` keeps exactly the chunk's frames by pts, `-frames:v` stops right after the last one.
 * Returns the decoded frames keyed by frame index; frames that did not come out are missing from the map.
 */
async function decodeChunk(
  file: string,
  chunk: Chunk,
  list: FrameList,
  eps: number,
  seek: boolean,
  enc: { size: { width: number; height: number }; format: FrameFormat; q: number; tools: FfmpegTools },
  signal?: AbortSignal,
): Promise<Map<number, Decoded>> {
  const { size, format, q, tools } = enc;
  const pts = list.pts;
  const sp = seek ? seekPoint(pts[chunk.frames[0]], pts, list.keyframes, eps) : { at: 0, onKeyframe: false };
  const args = [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'info',
    ...(sp.at > 0 ? [...(sp.onKeyframe ? ['-noaccurate_seek'] : []), '-ss', sp.at.toFixed(6)] : []),
    '-copyts',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-frames:v',
    String(chunk.frames.length),
    '-vf',
    `select='${selectExpr(chunk, pts, eps)}',scale=${size.width}:${size.height}:flags=bilinear,showinfo`,
    '-vsync',
    '0',
    ...encodeArgs(format, q),
    'pipe:1',
  ];
  // showinfo writes ~400 bytes per frame to stderr: keep all of it (a trimmed log would misalign frames and times).
  const r = await runTool(tools.ffmpeg, args, {
    signal,
    timeoutMs: 600_000,
    stderrLimit: 65_536 + chunk.frames.length * 2048,
  });
  if (r.code !== 0)
    throw new MediaError(
      'corrupt',
      `Could not decode frames of ${path.basename(file)} (${file})`,
      file,
      tail(r.stderr),
    );
  const got = showinfoTimes(r.stderr);
  const imgs = splitImages(r.stdout, format, size.width * size.height * 4);
  if (got.length !== imgs.length)
    throw new MediaError(
      'corrupt',
      `ffmpeg gave ${imgs.length} images but ${got.length} frame times for ${file}`,
      file,
      tail(r.stderr),
    );
  const out = new Map<number, Decoded>();
  let j = 0;
  for (let k = 0; k < got.length; k++) {
    while (j < chunk.frames.length && pts[chunk.frames[j]] < got[k] - eps) j++;
    if (j < chunk.frames.length && Math.abs(pts[chunk.frames[j]] - got[k]) <= eps)
      out.set(chunk.frames[j], { data: imgs[k], time: Math.round(pts[chunk.frames[j]] * 1e6) / 1e6 });
  }
  return out;
}

/** Sample frames (in memory). Deterministic for the same file and options; each frame is the one displayed at its time. */
export async function sampleFrames(file: string, opts: SampleOptions = {}): Promise<SampleResult> {
  const tools = opts.tools ?? findFfmpeg();
  const p = opts.probe ?? (await probe(file, { signal: opts.signal, tools }));
  const format = opts.format ?? 'jpeg';
  const times = opts.timestamps ?? sampleTimestamps(p.duration, opts.n ?? 24);
  if (times.length > MAX_SAMPLES)
    throw new MediaError(
      'corrupt',
      `At most ${MAX_SAMPLES} frames can be sampled at once (asked for ${times.length}).`,
      file,
    );
  const enc = {
    size: fitSize(p.displayWidth, p.displayHeight, opts.maxSide ?? 640),
    format,
    q: opts.jpegQuality ?? 3,
    tools,
  };
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const list = await listFrames(file, tools, ac.signal);
    const wanted = times.map((t) => frameAt(list.pts, t));
    let strategy = opts.strategy ?? 'auto';
    if (strategy === 'auto')
      strategy = chooseStrategy(
        wanted.map((i) => list.pts[i]),
        list.keyframes,
        p.fps || 25,
      );
    const chunks = planChunks(wanted, strategy, list.pts, list.keyframes);
    const eps = ptsTolerance(list.pts);
    const decoded = new Map<number, Decoded>();
    const total = new Set(wanted).size;
    await pool(opts.concurrency ?? 2, chunks.length, async (c) => {
      throwIfAborted(ac.signal, 'Frame sampling');
      let got = await decodeChunk(file, chunks[c], list, eps, true, enc, ac.signal);
      // A frame missing after a seek (a build that seeks past it): decode that chunk again from the start.
      if (got.size < chunks[c].frames.length)
        got = await decodeChunk(file, chunks[c], list, eps, false, enc, ac.signal);
      for (const [i, d] of got) decoded.set(i, d);
      opts.onProgress?.({ done: decoded.size, total });
    });
    const frames = times.map((t, i) => {
      const got = decoded.get(wanted[i]);
      // Never a silent substitute: a frame the container lists but the decoder cannot produce is an error.
      if (!got)
        throw new MediaError(
          'corrupt',
          `No frame could be decoded at ${t.toFixed(3)} s of ${path.basename(file)} (truncated or damaged?): ${file}`,
          file,
        );
      return {
        index: i,
        requested: t,
        time: got.time,
        width: enc.size.width,
        height: enc.size.height,
        format,
        data: got.data,
      } satisfies SampledFrame;
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
