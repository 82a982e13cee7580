/**
 * probe(file): duration, fps, frames, size, rotation, codec, audio — with typed errors.
 * Uses ffprobe JSON when available, else parses `ffmpeg -i` stderr.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VideoProbe } from '../../src-shared/media/types.js';
import { MediaError } from './errors.js';
import { findFfmpeg, runTool, tail, type FfmpegTools } from './ffmpeg.js';

export type { VideoProbe };

export interface ProbeOptions {
  signal?: AbortSignal;
  tools?: FfmpegTools;
  /**
   * Also decode one frame near the end (and one at the start). Catches truncated files whose
   * header still looks fine. Costs one short ffmpeg run. Default false.
   */
  verifyDecode?: boolean;
}

/** Container magic numbers we accept as "a video container" (to tell corrupt from not-a-video). */
export function sniffContainer(head: Buffer): 'mp4' | 'avi' | 'mkv' | 'mpegts' | 'flv' | 'asf' | null {
  if (head.length >= 12) {
    const box = head.toString('latin1', 4, 8);
    if (['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(box)) return 'mp4';
    if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12).startsWith('AVI')) return 'avi';
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'mkv';
  if (head.length >= 1 && head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return 'mpegts';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'FLV') return 'flv';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x3026b275) return 'asf';
  return null;
}

const IMAGE_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif', 'webp', 'tiff', 'jpeg2000', 'ppm', 'pgm']);

function parseRate(r: string | undefined): number {
  if (!r) return 0;
  const [a, b] = r.split('/').map(Number);
  const v = b ? a / b : a;
  return Number.isFinite(v) && v > 0 && v < 1000 ? v : 0;
}

function normRotation(cw: number): 0 | 90 | 180 | 270 {
  const r = (((Math.round(cw / 90) * 90) % 360) + 360) % 360;
  return r as 0 | 90 | 180 | 270;
}

async function checkFile(
  file: string,
): Promise<{ size: number; kind: ReturnType<typeof sniffContainer>; identity: string }> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaError('missing', `Video file not found: ${file}`, file);
    throw new MediaError('missing', `Cannot read video file ${file}: ${(e as Error).message}`, file);
  }
  if (!st.isFile()) throw new MediaError('not_video', `${file} is not a file (it is a folder or a device).`, file);
  if (st.size === 0) throw new MediaError('empty', `Video file is empty (0 bytes): ${file}`, file);
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, 256, 0);
    const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    return { size: st.size, kind: sniffContainer(buf.subarray(0, bytesRead)), identity };
  } finally {
    await fh.close();
  }
}

function failToOpen(file: string, kind: string | null, stderr: string): MediaError {
  const name = path.basename(file);
  if (kind)
    return new MediaError(
      'corrupt',
      `${name} looks like a ${kind.toUpperCase()} video but cannot be read (truncated or damaged): ${file}`,
      file,
      tail(stderr),
    );
  return new MediaError('not_video', `${name} is not a video file ffmpeg can read: ${file}`, file, tail(stderr));
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  disposition?: { attached_pic?: number };
}

/** One probe of a checked file: the two ways below (ffprobe, or ffmpeg's banner where no ffprobe ships) take the same. */
interface ProbeRun {
  file: string;
  tools: FfmpegTools;
  size: number;
  kind: ReturnType<typeof sniffContainer>;
}

async function probeWithFfprobe({ file, tools, size, kind }: ProbeRun): Promise<VideoProbe> {
  const r = await runTool(
    tools.ffprobe!,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { timeoutMs: 60_000 },
  );
  let json: { streams?: FfprobeStream[]; format?: { format_name?: string; duration?: string } };
  try {
    json = JSON.parse(r.stdout.toString('utf8') || '{}');
  } catch {
    json = {};
  }
  if (r.code !== 0 || !json.format) throw failToOpen(file, kind, r.stderr);
  const streams = json.streams ?? [];
  const container = json.format.format_name ?? '';
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  if (!v) {
    throw new MediaError(
      'no_video_stream',
      `${path.basename(file)} has no video stream${a ? ' (audio only)' : ''}: ${file}`,
      file,
    );
  }
  if (
    /^(image2|png_pipe|jpeg_pipe|bmp_pipe|webp_pipe|gif|.*_pipe)$/.test(container) ||
    (IMAGE_CODECS.has(v.codec_name ?? '') && !kind)
  )
    throw new MediaError('not_video', `${path.basename(file)} is a still image, not a video: ${file}`, file);
  const duration = Number(json.format.duration ?? v.duration ?? NaN);
  let rot = 0;
  const sd = v.side_data_list?.find((d) => typeof d.rotation === 'number');
  if (sd)
    rot = -(sd.rotation as number); // display matrix rotation is counter-clockwise
  else if (v.tags?.rotate) rot = Number(v.tags.rotate) || 0;
  return finish(file, {
    duration,
    fps: parseRate(v.avg_frame_rate) || parseRate(v.r_frame_rate),
    nbFrames: v.nb_frames ? Number(v.nb_frames) : NaN,
    width: v.width ?? 0,
    height: v.height ?? 0,
    rotation: normRotation(rot),
    codec: v.codec_name ?? '',
    pixelFormat: v.pix_fmt ?? '',
    container,
    audioCodec: a ? (a.codec_name ?? 'unknown') : null,
    size,
    probedWith: 'ffprobe',
    kind,
    stderr: r.stderr,
  });
}

/** Parse `ffmpeg -hide_banner -i file` stderr (ffmpeg always exits 1 there: no output given). */
export function parseFfmpegInfo(stderr: string): {
  container: string;
  duration: number;
  video: { codec: string; pixelFormat: string; width: number; height: number; fps: number; rotation: number } | null;
  audioCodec: string | null;
} | null {
  const input = /Input #0, ([^,\n]+(?:,[^,\n ]+)*), from/.exec(stderr);
  if (!input) return null;
  const dm = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const duration = dm ? Number(dm[1]) * 3600 + Number(dm[2]) * 60 + Number(dm[3]) : NaN;
  const lines = stderr.split(/\r?\n/);
  let video: NonNullable<ReturnType<typeof parseFfmpegInfo>>['video'] = null;
  let audioCodec: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const vm = /Stream #\d+:\d+.*?: Video: ([^\s,]+)(.*)$/.exec(l);
    if (vm && !video && !/attached pic/.test(l)) {
      const rest = vm[2];
      const size = /, (\d{2,5})x(\d{2,5})/.exec(rest);
      const fps = /, ([\d.]+(?:k)?) fps/.exec(rest) ?? /, ([\d.]+(?:k)?) tbr/.exec(rest);
      const pix = /^\s*(?:\([^)]*\)\s*)*(?:\([^)]*\))?,\s*([a-z0-9_]+)/.exec(rest);
      let rotation = 0;
      for (let j = i + 1; j < lines.length && !/Stream #/.test(lines[j]); j++) {
        const rt = /^\s+rotate\s+:\s*(-?\d+)/.exec(lines[j]);
        if (rt) rotation = Number(rt[1]);
        const dmx = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(lines[j]);
        if (dmx && !rt) rotation = -Number(dmx[1]);
      }
      const f = fps ? (fps[1].endsWith('k') ? Number(fps[1].slice(0, -1)) * 1000 : Number(fps[1])) : 0;
      video = {
        codec: vm[1],
        pixelFormat: pix?.[1] ?? '',
        width: size ? Number(size[1]) : 0,
        height: size ? Number(size[2]) : 0,
        fps: f,
        rotation,
      };
    }
    const am = /Stream #\d+:\d+.*?: Audio: ([^\s,]+)/.exec(l);
    if (am && audioCodec === null) audioCodec = am[1];
  }
  return { container: input[1], duration, video, audioCodec };
}

async function probeWithFfmpeg({ file, tools, size, kind }: ProbeRun): Promise<VideoProbe> {
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-i', file], { timeoutMs: 60_000 });
  const info = parseFfmpegInfo(r.stderr);
  if (!info) throw failToOpen(file, kind, r.stderr);
  if (!info.video)
    throw new MediaError(
      'no_video_stream',
      `${path.basename(file)} has no video stream${info.audioCodec ? ' (audio only)' : ''}: ${file}`,
      file,
    );
  if (/^(image2|.*_pipe)$/.test(info.container) || (IMAGE_CODECS.has(info.video.codec) && !kind))
    throw new MediaError('not_video', `${path.basename(file)} is a still image, not a video: ${file}`, file);
  return finish(file, {
    duration: info.duration,
    fps: info.video.fps,
    nbFrames: NaN,
    width: info.video.width,
    height: info.video.height,
    rotation: normRotation(info.video.rotation),
    codec: info.video.codec,
    pixelFormat: info.video.pixelFormat,
    container: info.container,
    audioCodec: info.audioCodec,
    size,
    probedWith: 'ffmpeg',
    kind,
    stderr: r.stderr,
  });
}

function finish(
  file: string,
  p: Omit<VideoProbe, 'frameCount' | 'frameCountExact' | 'displayWidth' | 'displayHeight' | 'hasAudio'> & {
    nbFrames: number;
    audioCodec: string | null;
    kind: ReturnType<typeof sniffContainer>;
    stderr: string;
  },
): VideoProbe {
  const name = path.basename(file);
  if (!p.codec || p.codec === 'none' || p.codec === 'unknown' || /unknown codec|no decoder/i.test(p.stderr))
    throw new MediaError(
      'unsupported_codec',
      `${name} uses a video codec this app cannot decode: ${file}`,
      file,
      tail(p.stderr),
    );
  if (!(p.width > 0 && p.height > 0))
    throw new MediaError(
      'corrupt',
      `${name}: the video stream has no picture size (damaged file): ${file}`,
      file,
      tail(p.stderr),
    );
  if (!(p.duration > 0))
    throw new MediaError(
      'corrupt',
      `${name}: the video has no duration (truncated or damaged): ${file}`,
      file,
      tail(p.stderr),
    );
  const fps = p.fps > 0 ? p.fps : 0;
  const exact = Number.isFinite(p.nbFrames) && p.nbFrames > 0;
  // AVI headers keep the full frame count when the file is cut: the header promises more than the data holds.
  if (exact && fps > 0 && p.nbFrames / fps > p.duration * 1.2 + 2 / fps)
    throw new MediaError(
      'corrupt',
      `${name} is truncated: its header says ${(p.nbFrames / fps).toFixed(1)} s but only ${p.duration.toFixed(1)} s of video is there (${file})`,
      file,
    );
  const frameCount = exact ? p.nbFrames : Math.max(1, Math.round(p.duration * (fps || 25)));
  const swap = p.rotation === 90 || p.rotation === 270;
  return {
    duration: p.duration,
    fps: fps || frameCount / p.duration,
    frameCount,
    frameCountExact: exact,
    width: p.width,
    height: p.height,
    rotation: p.rotation,
    displayWidth: swap ? p.height : p.width,
    displayHeight: swap ? p.width : p.height,
    codec: p.codec,
    pixelFormat: p.pixelFormat,
    container: p.container,
    hasAudio: p.audioCodec !== null,
    audioCodec: p.audioCodec,
    size: p.size,
    probedWith: p.probedWith,
  };
}

/** Decode one frame at `t` seconds; throws 'corrupt' if nothing comes out. */
async function verifyFrame(file: string, tools: FfmpegTools, t: number): Promise<void> {
  const r = await runTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-v',
      'error',
      '-ss',
      t.toFixed(3),
      '-i',
      file,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-f',
      'framecrc',
      '-',
    ],
    { timeoutMs: 60_000 },
  );
  const frames = r.stdout
    .toString('latin1')
    .split('\n')
    .filter((l) => l && !l.startsWith('#')).length;
  if (
    r.code !== 0 ||
    frames === 0 ||
    /Invalid data|error while decoding|partial file|corrupt|damaged|Error at MB/i.test(r.stderr)
  )
    throw new MediaError(
      'corrupt',
      `${path.basename(file)} is damaged or truncated: decoding failed at ${t.toFixed(1)} s (${file})`,
      file,
      tail(r.stderr),
    );
}

/**
 * Probes remembered for the process by file identity, size and times and the tools used (as hashFile
 * remembers hashes), shared while running: `score` checks a new file, its import checks it again and its
 * frames are sampled from it, all within a second. A failed probe is not remembered. The shared work runs
 * without any caller's signal (a probe is short); each caller stops waiting when its own signal aborts.
 */
const remembered = new Map<string, Promise<VideoProbe>>();
const REMEMBER_MAX = 1000;

function remember(key: string, work: () => Promise<VideoProbe>): Promise<VideoProbe> {
  let p = remembered.get(key);
  if (!p) {
    p = work();
    remembered.set(key, p);
    if (remembered.size > REMEMBER_MAX) remembered.delete(remembered.keys().next().value!);
    p.catch(() => remembered.delete(key));
  }
  return p;
}

function untilAborted<T>(p: Promise<T>, file: string, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  const aborted = () => new MediaError('aborted', 'Probing was cancelled.', file);
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Probe a video file. Throws MediaError with code missing|empty|not_video|corrupt|no_video_stream|unsupported_codec|ffmpeg_missing|aborted. */
export async function probe(file: string, opts: ProbeOptions = {}): Promise<VideoProbe> {
  const { size, kind, identity } = await checkFile(file);
  const tools = opts.tools ?? findFfmpeg();
  const key = `${file}\0${identity}\0${tools.ffprobe ?? ''}\0${tools.ffmpeg}`;
  const plain = () =>
    remember(key, () => {
      const run: ProbeRun = { file, tools, size, kind };
      return tools.ffprobe ? probeWithFfprobe(run) : probeWithFfmpeg(run);
    });
  const work = opts.verifyDecode
    ? remember(`${key}\0verified`, async () => {
        const p = await plain();
        await verifyFrame(file, tools, 0);
        await verifyFrame(file, tools, Math.max(0, p.duration - Math.max(0.5, 2 / (p.fps || 25))));
        return p;
      })
    : plain();
  return untilAborted(
    work.then((p) => ({ ...p })),
    file,
    opts.signal,
  );
}
