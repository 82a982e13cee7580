/**
 * Data augmentation on NORMALIZED model input (normalize.ts output: [numFrames × 132], hip-centred, torso-scaled).
 * Deterministic for a given seeded `Rng`. Missing frames (all zeros) stay all zeros; visibility is never changed.
 */
import { FEATURES_PER_FRAME, MIRROR_PAIRS, NUM_LANDMARKS } from './format';
import { isZeroFrame } from './normalize';
import { Rng } from '../model/rng';

export interface AugmentOptions {
  /** Probability of a left/right mirror (default 0.5). */
  mirrorProb?: number;
  /** Max in-plane rotation about the hip centre, degrees (default 8). */
  maxRotationDeg?: number;
  /** Max relative scale change (default 0.1 → ×0.9…1.1). */
  maxScale?: number;
  /** Max translation in torso units, x and y (default 0.05). */
  maxTranslate?: number;
  /** Max relative playback-speed change (default 0.1 → 0.9…1.1×), with a random start offset. */
  maxTimeWarp?: number;
}

export const DEFAULT_AUGMENT: Required<AugmentOptions> = {
  mirrorProb: 0.5,
  maxRotationDeg: 8,
  maxScale: 0.1,
  maxTranslate: 0.05,
  maxTimeWarp: 0.1,
};

/** Left/right mirror: swap MIRROR_PAIRS and flip x (x is hip-centred, so x → −x). */
export function mirrorFrames(x: Float32Array): Float32Array {
  const F = FEATURES_PER_FRAME;
  const n = x.length / F;
  const out = new Float32Array(x.length);
  const perm = Array.from({ length: NUM_LANDMARKS }, (_, i) => i);
  for (const [a, b] of MIRROR_PAIRS) {
    perm[a] = b;
    perm[b] = a;
  }
  for (let f = 0; f < n; f++) {
    if (isZeroFrame(x, f)) continue;
    for (let i = 0; i < NUM_LANDMARKS; i++) {
      const src = f * F + perm[i] * 4;
      const dst = f * F + i * 4;
      out[dst] = -x[src];
      out[dst + 1] = x[src + 1];
      out[dst + 2] = x[src + 2];
      out[dst + 3] = x[src + 3];
    }
  }
  return out;
}

/** Rotate (radians, x-y plane about the origin), scale and translate every present frame. */
export function transformFrames(x: Float32Array, angle: number, scale: number, tx: number, ty: number): Float32Array {
  const F = FEATURES_PER_FRAME;
  const n = x.length / F;
  const out = new Float32Array(x.length);
  const c = Math.cos(angle) * scale;
  const s = Math.sin(angle) * scale;
  for (let f = 0; f < n; f++) {
    if (isZeroFrame(x, f)) continue;
    for (let i = 0; i < NUM_LANDMARKS; i++) {
      const o = f * F + i * 4;
      const px = x[o];
      const py = x[o + 1];
      out[o] = c * px - s * py + tx;
      out[o + 1] = s * px + c * py + ty;
      out[o + 2] = x[o + 2] * scale;
      out[o + 3] = x[o + 3];
    }
  }
  return out;
}

/** Time jitter: resample at speed `speed` starting at frame `offset` (clamped to the clip), same frame count. */
export function timeWarpFrames(x: Float32Array, speed: number, offset: number): Float32Array {
  const F = FEATURES_PER_FRAME;
  const n = x.length / F;
  if (n < 2) return x.slice();
  // Sample positions offset + j*speed, then map back through resampleFrames-style interpolation.
  const out = new Float32Array(x.length);
  const present = Array.from({ length: n }, (_, i) => !isZeroFrame(x, i));
  for (let j = 0; j < n; j++) {
    const pos = Math.min(n - 1, Math.max(0, offset + j * speed));
    const i0 = Math.floor(pos);
    const i1 = Math.min(n - 1, i0 + 1);
    const w = pos - i0;
    const nearest = w < 0.5 ? i0 : i1;
    if (!present[nearest]) continue; // nearest frame missing → missing
    if (present[i0] && present[i1]) {
      for (let k = 0; k < F; k++) out[j * F + k] = x[i0 * F + k] * (1 - w) + x[i1 * F + k] * w;
    } else out.set(x.subarray(nearest * F, (nearest + 1) * F), j * F);
  }
  return out;
}

/** One random augmentation of a clip (numFrames × 132). */
export function augmentFrames(
  x: Float32Array,
  numFrames: number,
  rng: Rng,
  options: AugmentOptions = {},
): Float32Array {
  const o = { ...DEFAULT_AUGMENT, ...options };
  if (x.length !== numFrames * FEATURES_PER_FRAME)
    throw new Error(`augmentFrames: expected ${numFrames * FEATURES_PER_FRAME} values`);
  let y = x;
  // draw all random numbers in a fixed order so results depend only on the rng state
  const doMirror = rng.next() < o.mirrorProb;
  const angle = (rng.uniform(-1, 1) * o.maxRotationDeg * Math.PI) / 180;
  const scale = 1 + rng.uniform(-1, 1) * o.maxScale;
  const tx = rng.uniform(-1, 1) * o.maxTranslate;
  const ty = rng.uniform(-1, 1) * o.maxTranslate;
  const speed = 1 + rng.uniform(-1, 1) * o.maxTimeWarp;
  const span = (numFrames - 1) * speed;
  const offset =
    span < numFrames - 1 ? rng.uniform(0, numFrames - 1 - span) : rng.uniform(Math.min(0, numFrames - 1 - span), 0);
  if (doMirror) y = mirrorFrames(y);
  y = transformFrames(y, angle, scale, tx, ty);
  if (o.maxTimeWarp > 0) y = timeWarpFrames(y, speed, offset);
  return y;
}
