/**
 * VideoKeypoints → model input: Float32Array [numFrames × 132], frame-major, landmark-major within a frame
 * ([lm0.x, lm0.y, lm0.z, lm0.v, lm1.x, …], see format.ts).
 *
 *  - Each frame is centred on its hip midpoint (x, y and z).
 *  - x, y, z are divided by ONE scale per clip: the median torso length (shoulder midpoint → hip midpoint distance in
 *    the x-y plane, x corrected by the aspect ratio). Fallbacks when the torso is not usable (missing or degenerate):
 *    0.5 × the median bounding-box diagonal of the person, then 1.
 *  - Visibility is copied unchanged.
 *  - A frame with no person (null, wrong length, or non-finite values) is exactly 132 zeros, visibility included:
 *    the documented mask convention. A real frame always has non-zero visibility somewhere.
 *  - When the clip has a different number of frames than requested, it is resampled by linear interpolation in time
 *    between the two nearest frames; when the nearest frame is missing the output frame is missing, when only the
 *    other neighbour is missing the nearest frame is copied.
 */
import {
  FEATURES_PER_FRAME,
  LM,
  NUM_LANDMARKS,
  type FrameLandmarks,
  type Landmark,
  type VideoKeypoints,
} from './format';

export interface NormalizeOptions {
  /** Frames in the output (default: the clip's own frame count). */
  numFrames?: number;
  /** Video width / height: x is multiplied by it so distances are isotropic (default 1). */
  aspectRatio?: number;
}

function validFrame(f: FrameLandmarks): f is Landmark[] {
  if (!f || f.length !== NUM_LANDMARKS) return false;
  for (const l of f)
    if (!Number.isFinite(l.x) || !Number.isFinite(l.y) || !Number.isFinite(l.z) || !Number.isFinite(l.visibility))
      return false;
  return true;
}

function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = a.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const MIN_SCALE = 1e-3;

/** The per-clip scale used by `normalizeFrames` (exported for tests and diagnostics). */
export function clipScale(frames: FrameLandmarks[], aspectRatio = 1): number {
  const torsos: number[] = [];
  const diags: number[] = [];
  for (const f of frames) {
    if (!validFrame(f)) continue;
    const sx = ((f[LM.left_shoulder].x + f[LM.right_shoulder].x) / 2) * aspectRatio;
    const sy = (f[LM.left_shoulder].y + f[LM.right_shoulder].y) / 2;
    const hx = ((f[LM.left_hip].x + f[LM.right_hip].x) / 2) * aspectRatio;
    const hy = (f[LM.left_hip].y + f[LM.right_hip].y) / 2;
    const t = Math.hypot(sx - hx, sy - hy);
    if (t > MIN_SCALE) torsos.push(t);
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const l of f) {
      x0 = Math.min(x0, l.x * aspectRatio);
      x1 = Math.max(x1, l.x * aspectRatio);
      y0 = Math.min(y0, l.y);
      y1 = Math.max(y1, l.y);
    }
    const d = Math.hypot(x1 - x0, y1 - y0);
    if (d > MIN_SCALE) diags.push(d);
  }
  const t = median(torsos);
  // a torso much smaller than the body (e.g. side view glitches in a few frames) is still preferred if present in most frames
  if (Number.isFinite(t) && torsos.length * 2 >= diags.length) return t;
  const d = median(diags);
  if (Number.isFinite(d)) return d * 0.5;
  return 1;
}

/** One frame normalized into `out` at `offset` (132 values). Missing frames stay zero. */
function writeFrame(f: FrameLandmarks, scale: number, aspectRatio: number, out: Float32Array, offset: number): boolean {
  if (!validFrame(f)) return false;
  const cx = ((f[LM.left_hip].x + f[LM.right_hip].x) / 2) * aspectRatio;
  const cy = (f[LM.left_hip].y + f[LM.right_hip].y) / 2;
  const cz = (f[LM.left_hip].z + f[LM.right_hip].z) / 2;
  for (let i = 0; i < NUM_LANDMARKS; i++) {
    const l = f[i];
    const o = offset + i * 4;
    out[o] = (l.x * aspectRatio - cx) / scale;
    out[o + 1] = (l.y - cy) / scale;
    out[o + 2] = (l.z - cz) / scale;
    out[o + 3] = l.visibility;
  }
  return true;
}

/** Normalize a list of frames (see the file comment). */
export function normalizeFrames(frames: FrameLandmarks[], options: NormalizeOptions = {}): Float32Array {
  const ar = options.aspectRatio ?? 1;
  const n = options.numFrames ?? frames.length;
  const scale = clipScale(frames, ar);
  const own = new Float32Array(frames.length * FEATURES_PER_FRAME);
  const present = frames.map((f, i) => writeFrame(f, scale, ar, own, i * FEATURES_PER_FRAME));
  if (n === frames.length) return own;
  return resampleFrames(own, present, n);
}

/**
 * Resample normalized frames [m × 132] to n frames (centre-aligned positions, linear interpolation;
 * missing when the nearest source frame is missing; nearest frame when only the other neighbour is missing).
 */
export function resampleFrames(x: Float32Array, present: boolean[] | null, n: number): Float32Array {
  const F = FEATURES_PER_FRAME;
  const m = x.length / F;
  const out = new Float32Array(n * F);
  if (m === 0 || n === 0) return out;
  const isPresent = (i: number) => (present ? present[i] : !isZeroFrame(x, i));
  for (let j = 0; j < n; j++) {
    const pos = Math.min(m - 1, Math.max(0, ((j + 0.5) * m) / n - 0.5));
    const i0 = Math.floor(pos);
    const i1 = Math.min(m - 1, i0 + 1);
    const w = pos - i0;
    const p0 = isPresent(i0);
    const p1 = isPresent(i1);
    const nearest = w < 0.5 ? i0 : i1;
    if (!(nearest === i0 ? p0 : p1)) continue; // nearest frame missing → missing
    if (p0 && p1) {
      for (let k = 0; k < F; k++) out[j * F + k] = x[i0 * F + k] * (1 - w) + x[i1 * F + k] * w;
    } else out.set(x.subarray(nearest * F, (nearest + 1) * F), j * F);
  }
  return out;
}

export function isZeroFrame(x: Float32Array, frame: number): boolean {
  const o = frame * FEATURES_PER_FRAME;
  for (let k = 0; k < FEATURES_PER_FRAME; k++) if (x[o + k] !== 0) return false;
  return true;
}

/** VideoKeypoints → model input [numFrames × 132] (numFrames defaults to the clip's frame count). */
export function normalizeVideoKeypoints(kp: VideoKeypoints, options: NormalizeOptions = {}): Float32Array {
  return normalizeFrames(kp.frames, { numFrames: kp.frames.length, ...options });
}
