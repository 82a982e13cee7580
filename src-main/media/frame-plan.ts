/**
 * Which frames to decode for a list of timestamps, and in which ffmpeg runs.
 *
 * Exactness comes from the container's own frame list: every frame's presentation time is read from the
 * demuxer (no decoding), the frame *displayed* at T is the last one with pts ≤ T (the first frame for T
 * before it), and each run keeps frames by their exact pts. That holds for VFR clips and does not depend
 * on how a given ffmpeg build trims after an input seek (builds differ: Debian's 5.1 vs the bundled 4.x).
 *
 * No filter expression grows with the sample count: wanted frames are grouped into runs of consecutive
 * frames, and one ffmpeg run keeps at most MAX_TERMS runs (`between(t,a,b)` terms, summed as a balanced
 * tree so the expression parser's nesting stays shallow; a flat sum of ~100 terms fails in ffmpeg 5.1, a
 * balanced one of 1,000 parses). With a keyframe index, chunks start on a keyframe and each run input-seeks
 * exactly onto it, so no GOP is decoded twice (a seek 1 ms before a keyframe made Debian's 5.1 decode the
 * whole previous GOP).
 */
import { MediaError } from './errors.js';
import { runTool, tail, type FfmpegTools } from './ffmpeg.js';

/** Most `between()` terms in one select expression. */
export const MAX_TERMS = 1000;

export interface FrameList {
  /** Presentation time (s) of every frame, ascending. */
  pts: number[];
  /** Keyframe times (s), ascending; null when unknown (no ffprobe). */
  keyframes: number[] | null;
}

/** Every frame's pts (and keyframes when ffprobe is there), demux only. */
export async function listFrames(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<FrameList> {
  if (tools.ffprobe) {
    const r = await runTool(
      tools.ffprobe,
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
      { signal, timeoutMs: 120_000 },
    );
    if (r.code === 0) {
      const pts: number[] = [];
      const keyframes: number[] = [];
      for (const line of r.stdout.toString('latin1').split('\n')) {
        const [t, flags] = line.split(',');
        const x = Number(t);
        if (t === undefined || t === '' || t === 'N/A' || !Number.isFinite(x) || flags?.includes('D')) continue; // D = discarded by the decoder
        pts.push(x);
        if (flags?.includes('K')) keyframes.push(x);
      }
      if (pts.length > 0) return { pts: pts.sort((a, b) => a - b), keyframes: keyframes.sort((a, b) => a - b) };
    }
  }
  // No ffprobe (the bundled static ffmpeg): the framemd5 muxer lists every packet's pts with stream copy.
  const r = await runTool(
    tools.ffmpeg,
    ['-hide_banner', '-v', 'error', '-copyts', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framemd5', 'pipe:1'],
    { signal, timeoutMs: 120_000 },
  );
  if (r.code !== 0) throw new MediaError('corrupt', `Could not list the frames of ${file}`, file, tail(r.stderr));
  const text = r.stdout.toString('latin1');
  const tb = /#tb 0: (\d+)\/(\d+)/.exec(text);
  if (!tb) throw new MediaError('corrupt', `Could not list the frames of ${file} (no time base)`, file);
  const scale = Number(tb[1]) / Number(tb[2]);
  const pts: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const cols = line.split(',').map((c) => c.trim());
    if (cols.length < 4 || cols[0] !== '0') continue;
    const p = Number(cols[2]);
    if (Number.isFinite(p) && Math.abs(p) < 2 ** 62) pts.push(p * scale);
  }
  if (pts.length === 0) throw new MediaError('corrupt', `No video frames in ${file}`, file);
  return { pts: pts.sort((a, b) => a - b), keyframes: null };
}

/** Index of the frame displayed at t: the last with pts ≤ t (1 µs for float noise); the first frame before it. */
export function frameAt(pts: number[], t: number): number {
  let lo = 0;
  let hi = pts.length - 1;
  if (!(t + 1e-6 >= pts[0])) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pts[mid] <= t + 1e-6) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** One ffmpeg run: frames [from..to] ranges (frame indices, inclusive). */
export interface Chunk {
  runs: Array<[number, number]>;
  frames: number[];
}

/** Index of the last keyframe at or before t (0 when none or unknown). */
function gopOf(keyframes: number[] | null, t: number): number {
  if (!keyframes || keyframes.length === 0) return 0;
  let lo = 0;
  let hi = keyframes.length - 1;
  if (!(t + 1e-6 >= keyframes[0])) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (keyframes[mid] <= t + 1e-6) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * 'seek': one run per frame. 'select': consecutive runs, at most MAX_TERMS per chunk; with `pts` and a
 * keyframe index, chunk boundaries fall on keyframes (a GOP is never split across two runs unless it alone
 * holds more than MAX_TERMS runs), so each run decodes only its own GOPs.
 */
export function planChunks(
  wanted: number[],
  strategy: 'seek' | 'select',
  pts?: number[],
  keyframes?: number[] | null,
): Chunk[] {
  const idx = [...new Set(wanted)].sort((a, b) => a - b);
  if (strategy === 'seek') return idx.map((i) => ({ runs: [[i, i]], frames: [i] }));
  // Runs of consecutive frames, cut at keyframes so each belongs to one GOP.
  const gop = (i: number): number => (pts && keyframes ? gopOf(keyframes, pts[i]) : 0);
  const runs: Array<[number, number]> = [];
  for (const i of idx) {
    const last = runs[runs.length - 1];
    if (last && i === last[1] + 1 && gop(i) === gop(last[1])) last[1] = i;
    else runs.push([i, i]);
  }
  // Group runs by GOP; pack whole GOPs into chunks of about equal size, each at most MAX_TERMS runs.
  const groups: Array<Array<[number, number]>> = [];
  for (const r of runs) {
    const g = groups[groups.length - 1];
    if (g && gop(g[0][0]) === gop(r[0])) g.push(r);
    else groups.push([r]);
  }
  const target = Math.ceil(runs.length / Math.max(1, Math.ceil(runs.length / MAX_TERMS)));
  const chunks: Chunk[] = [];
  let cur: Array<[number, number]> = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const frames: number[] = [];
    for (const [a, b] of cur) for (let i = a; i <= b; i++) frames.push(i);
    chunks.push({ runs: cur, frames });
    cur = [];
  };
  for (const g of groups) {
    if (cur.length > 0 && cur.length + g.length > MAX_TERMS) flush();
    // A GOP alone over the limit (dense samples, rare keyframes): split it, it is decoded once per piece.
    for (let k = 0; k < g.length; k += MAX_TERMS) {
      if (cur.length > 0 && cur.length + Math.min(MAX_TERMS, g.length - k) > MAX_TERMS) flush();
      cur.push(...g.slice(k, k + MAX_TERMS));
    }
    if (cur.length >= target) flush();
  }
  flush();
  return chunks;
}

/** Half the smallest gap between frames (capped at 0.1 ms): a window around one pts that holds no other frame. */
export function ptsTolerance(pts: number[]): number {
  let gap = Infinity;
  for (let i = 1; i < pts.length; i++) if (pts[i] > pts[i - 1]) gap = Math.min(gap, pts[i] - pts[i - 1]);
  return Math.min(1e-4, Number.isFinite(gap) ? gap / 4 : 1e-4);
}

/** `select` expression keeping exactly the chunk's frames (balanced sum of between() terms). */
export function selectExpr(chunk: Chunk, pts: number[], eps: number): string {
  const terms = chunk.runs.map(([a, b]) => `between(t\\,${(pts[a] - eps).toFixed(6)}\\,${(pts[b] + eps).toFixed(6)})`);
  const tree = (xs: string[]): string =>
    xs.length === 1 ? xs[0] : `(${tree(xs.slice(0, xs.length >> 1))}+${tree(xs.slice(xs.length >> 1))})`;
  return tree(terms);
}

/** Per-process start-up cost, in "decoded frames" (measured: ~0.15 s ≈ 30 frames of 720p h264 on one core). */
const SPAWN_COST_FRAMES = 30;
/** Without a keyframe index, input seeks land this far before the first wanted frame; select keeps the exact frames. */
export const SEEK_MARGIN_SEC = 0.25;

/**
 * Where to input-seek for a chunk whose first frame is at `first` (s, file timeline), and whether that
 * point is a keyframe. With a keyframe index: a hair (a quarter frame gap) *after* the keyframe at or before
 * it, so the demuxer lands on that keyframe, not the one before (a seek 1 ms early decoded a whole extra GOP
 * with Debian's 5.1); run with -noaccurate_seek so nothing is trimmed and select keeps the exact frames.
 * Without one: SEEK_MARGIN_SEC before the frame, accurate seek.
 */
export function seekPoint(
  first: number,
  pts: number[],
  keyframes: number[] | null,
  eps = 1e-4,
): { at: number; onKeyframe: boolean } {
  if (keyframes && keyframes.length) {
    const k = keyframes[gopOf(keyframes, first)];
    if (k <= first + 1e-6) return { at: Math.max(0, k + eps - pts[0]), onKeyframe: k > pts[0] + 1e-6 };
  }
  return { at: Math.max(0, first - SEEK_MARGIN_SEC - pts[0]), onKeyframe: false };
}

/** Decoded frames + spawns for each strategy; picks the cheaper. Without a keyframe index: 'select'. */
export function chooseStrategy(wantedPts: number[], keyframes: number[] | null, fps: number): 'seek' | 'select' {
  const times = [...new Set(wantedPts)].sort((a, b) => a - b);
  if (times.length <= 1) return 'seek';
  if (!keyframes || keyframes.length === 0) return 'select';
  const kfBefore = (t: number): number => {
    let k = 0;
    for (const x of keyframes)
      if (x <= t - SEEK_MARGIN_SEC + 1e-6) k = x;
      else break;
    return k;
  };
  const seekCost = times.reduce((acc, t) => acc + (t - kfBefore(t)) * fps + SPAWN_COST_FRAMES, 0);
  const idx = times.map((_, i) => i);
  const chunks = planChunks(idx, 'select').length; // upper bound: every wanted time its own run
  const selectCost =
    (times[times.length - 1] - kfBefore(times[0])) * fps + chunks * (SPAWN_COST_FRAMES + SEEK_MARGIN_SEC * fps);
  return selectCost <= seekCost ? 'select' : 'seek';
}
