/**
 * Rep counting over a whole clip (video scoring). See README.md in this folder for the method.
 *
 *   const res = countReps(frames, timestampsSec, 'squat', { aspect: width / height });
 *   res.reps        // [{ index, startSec, bottomSec, endSec, depthDeg, amplitude, romFraction, ... }]
 *   res.holdSec     // plank only: seconds in a plank-like posture
 *   res.signal      // the smoothed per-frame signal (degrees, NaN where unknown) for a chart
 *   scoreReps(res.reps)  // 0–100 per rep
 */
import type { FrameLandmarks } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';
import { fillGaps, medianFilter, medianStep, movingAverage, percentile, windowSamples } from './filter';
import { trimSetEnds } from './boundaries';
import type { Rep } from './rep';
import {
  EXERCISE_SIGNALS,
  OTHER_CANDIDATES,
  isPlankPosture,
  signalValue,
  type GeometryOptions,
  type SignalKind,
  type SignalSpec,
} from './signal';

export type { Rep } from './rep';

export interface CountOptions extends GeometryOptions {
  /** Interpolate missing/invisible stretches up to this long (s). Default 0.6. */
  maxGapSec?: number;
  /** Median filter length (s). Default 0.3. */
  medianSec?: number;
  /** Moving-average length (s) after the median. Default 0.2. */
  smoothSec?: number;
  /** Enter the work phase below low + `enterFrac`·range. Default 0.45. */
  enterFrac?: number;
  /** The rep completes back above low + `exitFrac`·range. Default 0.75. */
  exitFrac?: number;
  /** Override the exercise's minimum amplitude (degrees) / minimum rep duration (s). */
  minAmplitude?: number;
  minRepSec?: number;
  /** Longest plausible rep (s); longer excursions are not counted. Default 20. */
  maxRepSec?: number;
}

export interface HoldSegment {
  startSec: number;
  endSec: number;
}

export interface RepResult {
  exercise: ExerciseType;
  /** What the signal measures (e.g. 'knee angle'). */
  signalLabel: string;
  /** The signal kind used (for 'other': the candidate that moved most). */
  signalKind: SignalKind;
  reps: Rep[];
  /** Timed exercises (plank): total seconds in the posture (segments ≥ 1 s). */
  holdSec?: number;
  holds?: HoldSegment[];
  /** Smoothed signal per input frame (degrees; NaN where unknown). */
  signal: number[];
  /** Thresholds used (degrees, in the signal's own units), null when the clip did not move enough. */
  thresholds: { enter: number; exit: number; low: number; high: number } | null;
  /** The clip ends inside a rep (not counted). */
  endsMidRep?: boolean;
  /** Movements at the set's ends that did not match its pattern (not counted; boundaries.ts). */
  dropped?: Rep[];
}

/** The hysteresis state machine shared by the offline counter and the streaming one. Works on a 'dip' signal. */
export class RepStateMachine {
  private state: 'unknown' | 'up' | 'down' = 'unknown';
  private lastHighT = NaN;
  private topVal = -Infinity;
  private startT = NaN;
  private startTop = NaN;
  private bottomVal = Infinity;
  private bottomT = NaN;

  constructor(
    private readonly spec: { minAmplitude: number; minRepSec: number; maxRepSec: number; startMayBeDown?: boolean },
  ) {}

  get phase(): 'unknown' | 'up' | 'down' {
    return this.state;
  }

  /** Forget the current phase (after a long gap). */
  reset(): void {
    this.state = 'unknown';
    this.topVal = -Infinity;
  }

  /**
   * One smoothed sample `v` (dip orientation) at `t` with the current thresholds. Returns a completed rep
   * (without index / romFraction, in dip units) or null.
   */
  step(
    t: number,
    v: number,
    enter: number,
    exit: number,
  ): { startSec: number; bottomSec: number; endSec: number; top: number; bottom: number } | null {
    if (!Number.isFinite(v)) {
      this.reset();
      return null;
    }
    switch (this.state) {
      case 'unknown':
        if (v >= exit) {
          this.state = 'up';
          this.topVal = v;
          this.lastHighT = t;
        } else if (v <= enter && this.spec.startMayBeDown) {
          this.goDown(t, NaN, t, v); // no rest seen before: the amplitude is measured to the end of the rep
        }
        return null;
      case 'up':
        if (v >= exit) {
          this.lastHighT = t;
          this.topVal = Math.max(this.topVal, v);
        } else if (v <= enter) {
          this.goDown(this.lastHighT, this.topVal, t, v);
        }
        return null;
      case 'down':
        if (v < this.bottomVal) {
          this.bottomVal = v;
          this.bottomT = t;
        }
        if (v >= exit) {
          const top = Number.isFinite(this.startTop) ? Math.max(this.startTop, v) : v;
          const rep = { startSec: this.startT, bottomSec: this.bottomT, endSec: t, top, bottom: this.bottomVal };
          this.state = 'up';
          this.topVal = v;
          this.lastHighT = t;
          const dur = rep.endSec - rep.startSec;
          const amp = (Number.isFinite(this.startTop) ? this.startTop : v) - rep.bottom;
          if (dur >= this.spec.minRepSec && dur <= this.spec.maxRepSec && amp >= this.spec.minAmplitude) return rep;
        } else if (t - this.startT > this.spec.maxRepSec) {
          // stuck in the work position (or a resting pose changed): wait for a fresh top
          this.state = 'unknown';
        }
        return null;
    }
  }

  private goDown(startT: number, top: number, t: number, v: number): void {
    this.state = 'down';
    this.startT = startT;
    this.startTop = top;
    this.bottomVal = v;
    this.bottomT = t;
  }
}

export function resolvedSpec(exercise: ExerciseType, opts: CountOptions = {}): SignalSpec & { maxRepSec: number } {
  const s = EXERCISE_SIGNALS[exercise] ?? EXERCISE_SIGNALS.other;
  return {
    ...s,
    minAmplitude: opts.minAmplitude ?? s.minAmplitude,
    minRepSec: opts.minRepSec ?? s.minRepSec,
    maxRepSec: opts.maxRepSec ?? 20,
  };
}

/** Raw → gap-filled → median → moving average, per frame (NaN stays where the gap was too long). */
export function smoothSignal(raw: readonly number[], t: readonly number[], opts: CountOptions = {}): number[] {
  const dt = medianStep(t);
  const filled = fillGaps(raw, t, opts.maxGapSec ?? 0.6);
  // a 3-sample median at least (kills single-frame mis-tracks), except below 5 fps where 3 samples
  // would span more than half a fast rep
  const med = medianFilter(filled, windowSamples(opts.medianSec ?? 0.3, dt, dt <= 0.21 ? 3 : 1));
  // at low frame rates (≤ 6 fps) a 3-sample average would span ≥ 0.5 s and flatten the extremes: skip it
  const ma = windowSamples(opts.smoothSec ?? 0.2, dt, 1);
  return ma > 1 ? movingAverage(med, ma) : med;
}

/** Timed posture: total seconds in a plank-like posture, from runs ≥ `minHoldSec` (short dropouts bridged). */
export function plankHold(
  frames: readonly FrameLandmarks[],
  t: readonly number[],
  opts: CountOptions & { minHoldSec?: number } = {},
): { holdSec: number; holds: HoldSegment[]; posture: number[] } {
  const raw = frames.map((f) => (f ? (isPlankPosture(f, opts) ? 1 : 0) : NaN));
  const dt = medianStep(t);
  const filled = fillGaps(raw, t, opts.maxGapSec ?? 0.6);
  const posture = medianFilter(filled, windowSamples(0.6, dt));
  const holds: HoldSegment[] = [];
  let runStart = -1;
  const minHold = opts.minHoldSec ?? 1;
  for (let i = 0; i <= posture.length; i++) {
    const on = i < posture.length && posture[i]! >= 0.5;
    if (on && runStart < 0) runStart = i;
    if (!on && runStart >= 0) {
      const s = t[runStart]!,
        e = t[i - 1]! + dt;
      if (e - s >= minHold) holds.push({ startSec: s, endSec: e });
      runStart = -1;
    }
  }
  const holdSec = holds.reduce((a, h) => a + (h.endSec - h.startSec), 0);
  return { holdSec: Math.round(holdSec * 100) / 100, holds, posture };
}

/** Counts reps (or, for plank, the hold time) in one clip. `timestampsSec` must be increasing. */
export function countReps(
  frames: readonly FrameLandmarks[],
  timestampsSec: readonly number[],
  exercise: ExerciseType,
  opts: CountOptions = {},
): RepResult {
  if (frames.length !== timestampsSec.length)
    throw new Error(`countReps: ${frames.length} frames but ${timestampsSec.length} timestamps`);
  const spec = resolvedSpec(exercise, opts);
  if (spec.timed) {
    const hold = plankHold(frames, timestampsSec, opts);
    const signal = smoothSignal(
      frames.map((f) => signalValue(f, spec.kind, opts)),
      timestampsSec,
      opts,
    );
    return {
      exercise,
      signalLabel: spec.label,
      signalKind: spec.kind,
      reps: [],
      holdSec: hold.holdSec,
      holds: hold.holds,
      signal,
      thresholds: null,
    };
  }

  const candidates: SignalKind[] = exercise === 'other' ? [...OTHER_CANDIDATES] : [spec.kind];
  let best: { kind: SignalKind; signal: number[]; low: number; high: number } | null = null;
  for (const kind of candidates) {
    const signal = smoothSignal(
      frames.map((f) => signalValue(f, kind, opts)),
      timestampsSec,
      opts,
    );
    const dip = spec.polarity === 'dip' ? signal : signal.map((v) => -v);
    const low = percentile(dip, 5),
      high = percentile(dip, 95);
    if (!best || high - low > best.high - best.low || !Number.isFinite(best.high - best.low))
      best = { kind, signal, low, high };
  }
  const { kind, signal, low, high } = best!;
  const base: RepResult = { exercise, signalLabel: spec.label, signalKind: kind, reps: [], signal, thresholds: null };
  const range = high - low;
  if (!(range >= spec.minAmplitude)) return base;

  const sign = spec.polarity === 'dip' ? 1 : -1;
  const enter = low + (opts.enterFrac ?? 0.45) * range;
  const exit = low + (opts.exitFrac ?? 0.75) * range;
  const sm = new RepStateMachine(spec);
  const reps: Rep[] = [];
  for (let i = 0; i < signal.length; i++) {
    const r = sm.step(timestampsSec[i]!, sign * signal[i]!, enter, exit);
    if (r) reps.push(toRep(r, reps.length, sign));
  }
  const { reps: kept, dropped } = trimSetEnds(reps, frames, timestampsSec, opts);
  setRomFractions(kept);
  return {
    ...base,
    reps: kept,
    dropped,
    endsMidRep: sm.phase === 'down',
    thresholds: { enter: sign * enter, exit: sign * exit, low: sign * low, high: sign * high },
  };
}

export function toRep(
  r: { startSec: number; bottomSec: number; endSec: number; top: number; bottom: number },
  index: number,
  sign: number,
): Rep {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    index,
    startSec: round(r.startSec),
    bottomSec: round(r.bottomSec),
    endSec: round(r.endSec),
    durationSec: round(r.endSec - r.startSec),
    depthDeg: Math.round(sign * r.bottom * 10) / 10,
    restDeg: Math.round(sign * r.top * 10) / 10,
    amplitude: Math.round((r.top - r.bottom) * 10) / 10,
    romFraction: 1,
  };
}

export function setRomFractions(reps: Rep[]): void {
  const best = Math.max(0, ...reps.map((r) => r.amplitude));
  for (const r of reps) r.romFraction = best > 0 ? Math.round((r.amplitude / best) * 1000) / 1000 : 0;
}
