/**
 * Counting without knowing the exercise: the dominant periodic joint-angle signal. Each candidate signal
 * (knee, elbow, hip angle, shoulder abduction, torso tilt) is scored by its range × how periodic it is
 * (the highest normalised autocorrelation at a lag of 0.6–10 s); the best one is counted with the spec of an
 * exercise that uses it. A clip mostly in a plank posture is a hold. Nothing here is tuned to a clip.
 */
import type { FrameLandmarks } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';
import { percentile } from './filter';
import { signalValue, type SignalKind } from './signal';
import { countReps, plankHold, smoothSignal, type CountOptions, type RepResult } from './count';

/** Candidate signal → the exercise whose spec (polarity, minimum amplitude, minimum duration) counts it. */
const CANDIDATES: ReadonlyArray<[SignalKind, ExerciseType]> = [
  ['knee', 'squat'],
  ['elbow', 'pushup'],
  ['hip', 'situp'],
  ['abduction', 'jumping_jack'],
  ['tilt', 'burpee'],
];

/** Highest normalised autocorrelation of `x` (NaN = unknown) for lags between minLag and maxLag samples. */
export function periodicity(x: readonly number[], minLag: number, maxLag: number): number {
  const ok = x.filter(Number.isFinite);
  if (ok.length < 8) return 0;
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  const d = x.map((v) => (Number.isFinite(v) ? v - mean : 0));
  let var0 = 0;
  for (const v of d) var0 += v * v;
  if (!(var0 > 0)) return 0;
  let best = 0;
  for (let lag = Math.max(1, minLag); lag <= Math.min(maxLag, Math.floor(d.length / 2)); lag++) {
    let s = 0;
    for (let i = 0; i + lag < d.length; i++) s += d[i]! * d[i + lag]!;
    best = Math.max(best, (s / var0) * (d.length / (d.length - lag)));
  }
  return Math.min(1, best);
}

export interface AutoChoice {
  kind: SignalKind;
  exercise: ExerciseType;
  range: number;
  periodicity: number;
}

/** The candidate signal that moves most periodically. */
export function dominantSignal(
  frames: readonly FrameLandmarks[],
  t: readonly number[],
  opts: CountOptions = {},
): AutoChoice | null {
  return rankSignals(frames, t, opts)[0] ?? null;
}

/** Candidate signals, most periodic movement first. */
export function rankSignals(
  frames: readonly FrameLandmarks[],
  t: readonly number[],
  opts: CountOptions = {},
): AutoChoice[] {
  if (t.length < 2) return [];
  const dt = (t[t.length - 1]! - t[0]!) / (t.length - 1);
  const all: Array<AutoChoice & { value: number }> = [];
  for (const [kind, exercise] of CANDIDATES) {
    const raw = frames.map((f) => signalValue(f, kind, opts));
    // A segment seen end-on (torso facing the camera) gives an angle that flips back and forth between
    // frames (a > 60° spike out and back): not a movement. Fast real movement goes one way, not spikes.
    let spikes = 0;
    let triples = 0;
    for (let i = 2; i < raw.length; i++) {
      const a = raw[i - 2]!,
        b = raw[i - 1]!,
        c = raw[i]!;
      if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) continue;
      triples++;
      if (Math.abs(b - a) > 60 && Math.abs(c - b) > 60 && Math.sign(b - a) !== Math.sign(c - b)) spikes++;
    }
    if (triples > 0 && spikes / triples > 0.03) continue;
    const s = smoothSignal(raw, t, opts);
    const range = percentile(s, 95) - percentile(s, 5);
    if (!Number.isFinite(range)) continue;
    const p = periodicity(s, Math.round(0.6 / dt), Math.round(10 / dt));
    const value = range * Math.max(0.05, p);
    all.push({ kind, exercise, range, periodicity: p, value });
  }
  return all
    .sort((a, b) => b.value - a.value)
    .map(({ kind, exercise, range, periodicity }) => ({ kind, exercise, range, periodicity }));
}

/** Reps (or a plank hold) of a clip whose exercise is not known. `auto` tells which signal was used. */
export function countRepsAuto(
  frames: readonly FrameLandmarks[],
  t: readonly number[],
  opts: CountOptions = {},
): RepResult & { auto: AutoChoice | null } {
  const span = t.length > 1 ? t[t.length - 1]! - t[0]! : 0;
  // The most periodic signal that gives complete reps (a signal that only drifts or flips gives none).
  let reps: RepResult & { auto: AutoChoice | null } = { ...countReps(frames, t, 'other', opts), auto: null };
  const ranked = rankSignals(frames, t, opts);
  for (const choice of ranked) {
    const r = { ...countReps(frames, t, choice.exercise, opts), auto: choice };
    if (r.reps.length > 0 || choice === ranked[0]) reps = r;
    if (r.reps.length > 0) break;
  }
  // Mostly in a plank posture and no rep done *in* that posture (a push-up's reps are): a hold.
  const hold = plankHold(frames, t, opts);
  const repInHold = reps.reps.some((r) => hold.holds.some((h) => r.bottomSec >= h.startSec && r.bottomSec <= h.endSec));
  if (hold.holdSec >= Math.max(3, 0.5 * span) && !repInHold)
    return { ...countReps(frames, t, 'plank', opts), auto: null };
  return reps;
}
