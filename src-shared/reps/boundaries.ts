/**
 * Set boundaries: a movement before the first or after the last full rep that does not match the set's own
 * pattern (picking a bar up, putting it down, getting into position) is not a rep. The pattern is the median
 * rep of the set (≥ 3 reps needed); a rep at either end is dropped while it differs clearly from it in
 * range of motion (×0.5–×2), duration (×0.4–×2.5) or torso lean at the bottom (> 30° and 4× the set's own spread; unused when the set's leans span > 60°, e.g. a front view). Reps in the middle of a set are never dropped.
 */
import type { FrameLandmarks } from '../keypoints/format';
import { median } from './filter';
import { signalValue, type GeometryOptions } from './signal';
import type { Rep } from './rep';

export interface EndRepFeatures {
  amplitude: number;
  durationSec: number;
  /** Torso tilt from vertical at the rep's extreme (degrees), NaN when unknown. */
  leanDeg: number;
}

function leanAt(frames: readonly FrameLandmarks[], t: readonly number[], sec: number, opts: GeometryOptions): number {
  let k = 0;
  for (let i = 0; i < t.length; i++) if (Math.abs(t[i]! - sec) < Math.abs(t[k]! - sec)) k = i;
  return signalValue(frames[k] ?? null, 'tilt', opts);
}

/** Clearly unlike the set: the limits scale with how much the set itself varies (a front view's lean is noisy). */
function mismatch(f: EndRepFeatures, ref: EndRepFeatures, leanSpread: number): boolean {
  const amp = f.amplitude / ref.amplitude;
  const dur = f.durationSec / ref.durationSec;
  const lean = Number.isFinite(f.leanDeg) && Number.isFinite(ref.leanDeg) ? Math.abs(f.leanDeg - ref.leanDeg) : 0;
  return amp < 0.5 || amp > 2 || dur < 0.4 || dur > 2.5 || lean > Math.max(30, 4 * leanSpread);
}

/** Reps with non-matching end reps removed (re-indexed), and how many were removed. */
export function trimSetEnds(
  reps: readonly Rep[],
  frames: readonly FrameLandmarks[],
  t: readonly number[],
  opts: GeometryOptions = {},
): { reps: Rep[]; dropped: Rep[] } {
  if (reps.length < 3) return { reps: [...reps], dropped: [] };
  const feats = reps.map((r) => ({
    amplitude: r.amplitude,
    durationSec: r.durationSec,
    leanDeg: leanAt(frames, t, r.bottomSec, opts),
  }));
  const ref: EndRepFeatures = {
    amplitude: median(feats.map((f) => f.amplitude)),
    durationSec: median(feats.map((f) => f.durationSec)),
    leanDeg: median(feats.map((f) => f.leanDeg).filter(Number.isFinite)),
  };
  const leans = feats.map((f) => f.leanDeg).filter(Number.isFinite);
  // Lean is only a pattern when the set's own leans agree (front views flip the torso angle): else unused.
  const usable = leans.length > 0 && Math.max(...leans) - Math.min(...leans) <= 60;
  if (!usable) ref.leanDeg = NaN;
  const spread = usable ? median(leans.map((x) => Math.abs(x - ref.leanDeg))) : 0;
  let a = 0;
  let b = reps.length;
  while (b - a > 2 && mismatch(feats[a]!, ref, spread)) a++;
  while (b - a > 2 && mismatch(feats[b - 1]!, ref, spread)) b--;
  const kept = reps.slice(a, b).map((r, i) => ({ ...r, index: i }));
  return { reps: kept, dropped: [...reps.slice(0, a), ...reps.slice(b)] };
}
