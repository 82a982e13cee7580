/** Thumbnails (cached by content hash) and browser-playable preview transcodes. */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PreviewDecision, VideoProbe } from '../../src-shared/media/types.js';
import { MediaError } from './errors.js';
import { findFfmpeg, runTool, tail, type FfmpegTools } from './ffmpeg.js';
import { sampleFrames } from './frames.js';
import { hashFile } from './hash.js';
import { probe } from './probe.js';

export interface ThumbnailOptions {
  cacheDir: string;
  maxSide?: number;
  /** Seconds; default min(1 s, 10 % of duration). */
  at?: number;
  signal?: AbortSignal;
  tools?: FfmpegTools;
  /** What the caller already knows of this file (an import: our copy of content it just hashed and probed). */
  known?: { contentHash: string; probe: VideoProbe };
}

/** JPEG thumbnail at `<cacheDir>/<hash>-<maxSide>.jpg`; reused when it exists. */
export async function thumbnail(
  file: string,
  opts: ThumbnailOptions,
): Promise<{ path: string; cached: boolean; contentHash: string }> {
  const maxSide = opts.maxSide ?? 320;
  const hash = opts.known?.contentHash ?? (await hashFile(file, { signal: opts.signal })).hash;
  const out = path.join(
    opts.cacheDir,
    `${hash.replace(':', '-')}-${maxSide}${opts.at !== undefined ? `-t${opts.at}` : ''}.jpg`,
  );
  try {
    if ((await stat(out)).size > 0) return { path: out, cached: true, contentHash: hash };
  } catch {
    /* not cached */
  }
  const p = opts.known?.probe ?? (await probe(file, { signal: opts.signal, tools: opts.tools }));
  const at = opts.at ?? Math.min(1, p.duration * 0.1);
  const r = await sampleFrames(file, {
    probe: p,
    timestamps: [at],
    maxSide,
    format: 'jpeg',
    signal: opts.signal,
    tools: opts.tools,
    strategy: 'seek',
  });
  await mkdir(opts.cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, r.frames[0].data);
  await rename(tmp, out);
  return { path: out, cached: false, contentHash: hash };
}

const PLAYABLE_VIDEO = new Set(['h264', 'vp8', 'vp9', 'av1']);
const PLAYABLE_AUDIO = new Set(['aac', 'mp3', 'opus', 'vorbis', 'flac']);
const PLAYABLE_PIX = new Set(['yuv420p', 'yuvj420p', '']);

/**
 * Can Chromium (Electron, with proprietary codecs) play this file directly in <video>?
 * Plays: MP4/MOV/WebM containers with H.264 (8-bit 4:2:0), VP8, VP9 or AV1 video and AAC/MP3/Opus/Vorbis/FLAC audio.
 * Everything else (AVI/Xvid, most MKV, MOV with ProRes/MJPEG/HEVC, 10-bit or 4:2:2 H.264, MPEG-TS …) needs a preview.
 */
export function needsPreview(p: VideoProbe): PreviewDecision {
  const c = p.container;
  const isMp4 = c.includes('mp4') || c.includes('mov');
  const isWebm =
    c.includes('webm') && c.includes('matroska') && (p.codec === 'vp8' || p.codec === 'vp9' || p.codec === 'av1');
  if (!isMp4 && !isWebm)
    return { needed: true, reason: `${c.split(',')[0].toUpperCase()} container is not playable in Chromium` };
  if (!PLAYABLE_VIDEO.has(p.codec)) return { needed: true, reason: `${p.codec} video is not playable in Chromium` };
  if (!PLAYABLE_PIX.has(p.pixelFormat))
    return { needed: true, reason: `${p.pixelFormat} pixel format is not playable in Chromium` };
  if (p.audioCodec && !PLAYABLE_AUDIO.has(p.audioCodec))
    return { needed: true, reason: `${p.audioCodec} audio is not playable in Chromium` };
  return { needed: false, reason: 'playable as is' };
}

export interface TranscodeProgress {
  /** Seconds of output written. */
  outTime: number;
  duration: number;
  /** 0..1 */
  fraction: number;
  /** Encoding speed as a multiple of real time, when ffmpeg reports it. */
  speed: number | null;
}

export interface PreviewOptions {
  /** Longest side of the preview (default 720; never upscales). */
  maxSide?: number;
  /** x264 CRF (default 26) and preset (default 'veryfast'). */
  crf?: number;
  preset?: string;
  onProgress?: (p: TranscodeProgress) => void;
  signal?: AbortSignal;
  tools?: FfmpegTools;
  probe?: VideoProbe;
}

/**
 * Transcode to H.264/AAC MP4 (yuv420p, +faststart) at `outFile`. Writes `outFile.part` then renames, so a
 * cancelled or failed run never leaves a half file under the final name. Progress is parsed from `-progress pipe:1`.
 */
export async function previewTranscode(
  file: string,
  outFile: string,
  opts: PreviewOptions = {},
): Promise<{ path: string; probe: VideoProbe }> {
  const tools = opts.tools ?? findFfmpeg();
  const p = opts.probe ?? (await probe(file, { signal: opts.signal, tools }));
  const maxSide = opts.maxSide ?? 720;
  const scale =
    Math.max(p.displayWidth, p.displayHeight) > maxSide
      ? p.displayWidth >= p.displayHeight
        ? `scale=${maxSide}:-2`
        : `scale=-2:${maxSide}`
      : 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  await mkdir(path.dirname(outFile), { recursive: true });
  const part = `${outFile}.part`;
  const args = [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    '-i',
    file,
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-vf',
    scale,
    '-c:v',
    'libx264',
    '-preset',
    opts.preset ?? 'veryfast',
    '-crf',
    String(opts.crf ?? 26),
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-progress',
    'pipe:1',
    part,
  ];
  let buf = '';
  let cur: Record<string, string> = {};
  const onStdout = (c: Buffer): void => {
    buf += c.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const k = line.slice(0, eq);
      const v = line.slice(eq + 1);
      cur[k] = v;
      if (k === 'progress') {
        const us = Number(cur.out_time_us ?? cur.out_time_ms); // out_time_ms is microseconds too (ffmpeg quirk)
        const outTime = Number.isFinite(us) && us > 0 ? us / 1e6 : 0;
        const speed = cur.speed && cur.speed !== 'N/A' ? parseFloat(cur.speed) : null;
        opts.onProgress?.({
          outTime,
          duration: p.duration,
          fraction: v === 'end' ? 1 : Math.min(1, outTime / p.duration),
          speed,
        });
        cur = {};
      }
    }
  };
  try {
    const r = await runTool(tools.ffmpeg, args, { signal: opts.signal, onStdout });
    if (r.code !== 0)
      throw new MediaError(
        'ffmpeg_failed',
        `Could not make a preview of ${path.basename(file)} (${file})`,
        file,
        tail(r.stderr),
      );
    await rename(part, outFile);
    return { path: outFile, probe: p };
  } catch (e) {
    await rm(part, { force: true });
    if (e instanceof MediaError && e.code === 'aborted')
      throw new MediaError('aborted', `Preview of ${path.basename(file)} was cancelled.`, file);
    throw e;
  }
}
