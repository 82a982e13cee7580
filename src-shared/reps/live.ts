/**
 * Streaming rep counter for the live view: feed it each frame's landmarks as they come.
 *
 *   const counter = new RepCounter('squat', { aspect: video.videoWidth / video.videoHeight });
 *   for each frame:  for (const ev of counter.push(landmarksOrNull, tSec)) if (ev.type === 'rep') show(ev.count, ev.score.score);
 *   counter.value   // smoothed signal (degrees) for a gauge;  counter.phase  // 'up' | 'down' | 'unknown'
 *   plank:          counter.holdSec, counter.holding, events 'hold-start' / 'hold-end'
 *
 * Same signal and state machine as `countReps`, but causal: a trailing median (0.3 s) + EMA instead
 * of centred filters, and thresholds relative to the min/max of the last `rangeWindowSec` (15 s) instead of
 * the whole clip's percentiles. Nothing is counted until the signal has moved by the exercise's minimum
 * amplitude, so standing still in front of the camera counts nothing. A rep is reported when it completes
 * (back in the resting band), i.e. with ~0.2–0.3 s of delay.
 */
import type { FrameLandmarks } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';
import { median } from './filter';
import { OTHER_CANDIDATES, isPlankPosture, signalValue, type SignalKind } from './signal';
import { RepStateMachine, resolvedSpec, toRep, type CountOptions, type Rep } from './count';
import { scoreRep, type RepScore } from './score';

export type RepEvent =
  | { type: 'rep'; rep: Rep; score: RepScore; count: number }
  | { type: 'phase'; phase: 'unknown' | 'up' | 'down'; tSec: number }
  | { type: 'hold-start'; tSec: number }
  | { type: 'hold-end'; tSec: number; segmentSec: number; holdSec: number };

export interface StreamOptions extends CountOptions {
  /** Thresholds follow the signal's min/max over this many seconds. Default 15. */
  rangeWindowSec?: number;
  /** Plank: a hold counts once it lasted this long (s). Default 1. */
  minHoldSec?: number;
}

class Tracker {
  private med: Array<{ t: number; v: number }> = [];
  private ema = NaN;
  private lastT = NaN;
  readonly window: Array<{ t: number; v: number }> = [];
  constructor(
    readonly kind: SignalKind,
    private readonly opts: StreamOptions,
    private readonly sign: number,
  ) {}

  reset(): void {
    this.med = [];
    this.ema = NaN;
    this.window.length = 0;
  }

  /** Smoothed value (dip units) or NaN; `gap` = the previous valid sample is too old. */
  push(raw: number, t: number): { v: number; gap: boolean } {
    const maxGap = this.opts.maxGapSec ?? 0.6;
    if (!Number.isFinite(raw)) {
      const gap = !Number.isFinite(this.lastT) || t - this.lastT > maxGap;
      if (gap && Number.isFinite(this.ema)) this.reset();
      return { v: gap ? NaN : this.ema, gap };
    }
    let gap = false;
    if (Number.isFinite(this.lastT) && t - this.lastT > maxGap) {
      this.reset();
      gap = true;
    }
    const dt = Number.isFinite(this.lastT) ? Math.max(0, t - this.lastT) : 0;
    this.lastT = t;
    const medSec = this.opts.medianSec ?? 0.3;
    this.med.push({ t, v: this.sign * raw });
    while (this.med.length > 1 && this.med[0]!.t < t - medSec + 1e-9) this.med.shift();
    const m = median(this.med.map((s) => s.v));
    const tau = (this.opts.smoothSec ?? 0.2) / 2;
    this.ema = Number.isFinite(this.ema) ? this.ema + (1 - Math.exp(-dt / Math.max(tau, 1e-3))) * (m - this.ema) : m;
    const win = this.opts.rangeWindowSec ?? 15;
    this.window.push({ t, v: this.ema });
    while (this.window.length > 1 && this.window[0]!.t < t - win) this.window.shift();
    return { v: this.ema, gap };
  }

  range(): { low: number; high: number } {
    let low = Infinity,
      high = -Infinity;
    for (const s of this.window) {
      if (s.v < low) low = s.v;
      if (s.v > high) high = s.v;
    }
    return { low, high };
  }
}

export class RepCounter {
  readonly exercise: ExerciseType;
  private readonly spec: ReturnType<typeof resolvedSpec>;
  private readonly sign: number;
  private trackers: Tracker[];
  private active: Tracker;
  private sm: RepStateMachine;
  private readonly list: Rep[] = [];
  private lastPhase: 'unknown' | 'up' | 'down' = 'unknown';
  private current = NaN;
  // plank
  private postureBuf: Array<{ t: number; on: number }> = [];
  private holdStart = NaN;
  private lastOnT = NaN;
  private closedHold = 0;
  private lastT = -Infinity;

  constructor(
    exercise: ExerciseType,
    private readonly opts: StreamOptions = {},
  ) {
    this.exercise = exercise;
    this.spec = resolvedSpec(exercise, opts);
    this.sign = this.spec.polarity === 'dip' ? 1 : -1;
    const kinds = exercise === 'other' ? OTHER_CANDIDATES : [this.spec.kind];
    this.trackers = kinds.map((k) => new Tracker(k, opts, this.sign));
    this.active = this.trackers[0]!;
    this.sm = new RepStateMachine(this.spec);
  }

  get count(): number {
    return this.list.length;
  }
  get reps(): readonly Rep[] {
    return this.list;
  }
  get phase(): 'unknown' | 'up' | 'down' {
    return this.sm.phase;
  }
  /** The smoothed signal (degrees) of the last frame, NaN when unknown. */
  get value(): number {
    return this.current;
  }
  get signalKind(): SignalKind {
    return this.active.kind;
  }
  get timed(): boolean {
    return !!this.spec.timed;
  }
  /** Plank: seconds held so far (closed holds + the current one once ≥ minHoldSec). */
  get holdSec(): number {
    const cur =
      this.holding && this.lastT - this.holdStart >= (this.opts.minHoldSec ?? 1) ? this.lastT - this.holdStart : 0;
    return Math.round((this.closedHold + cur) * 100) / 100;
  }
  get holding(): boolean {
    return Number.isFinite(this.holdStart);
  }

  reset(): void {
    for (const tr of this.trackers) tr.reset();
    this.sm = new RepStateMachine(this.spec);
    this.list.length = 0;
    this.lastPhase = 'unknown';
    this.current = NaN;
    this.postureBuf = [];
    this.holdStart = NaN;
    this.lastOnT = NaN;
    this.closedHold = 0;
    this.lastT = -Infinity;
  }

  /** One frame (null = no person) at time `tSec` (increasing; out-of-order frames are ignored). */
  push(frame: FrameLandmarks, tSec: number): RepEvent[] {
    if (!(tSec > this.lastT)) return [];
    this.lastT = tSec;
    return this.spec.timed ? this.pushHold(frame, tSec) : this.pushRep(frame, tSec);
  }

  private pushRep(frame: FrameLandmarks, t: number): RepEvent[] {
    const events: RepEvent[] = [];
    const vals = this.trackers.map((tr) => tr.push(signalValue(frame, tr.kind, this.opts), t));
    if (this.trackers.length > 1 && this.sm.phase !== 'down') {
      let best = this.active,
        bestRange = -Infinity;
      for (const tr of this.trackers) {
        const r = tr.range();
        if (r.high - r.low > bestRange) {
          bestRange = r.high - r.low;
          best = tr;
        }
      }
      if (best !== this.active) {
        this.active = best;
        this.sm.reset();
      }
    }
    const { v, gap } = vals[this.trackers.indexOf(this.active)]!;
    this.current = this.sign * v;
    if (gap) this.sm.reset();
    let enter = -Infinity,
      exit = Infinity;
    const { low, high } = this.active.range();
    if (high - low >= this.spec.minAmplitude) {
      enter = low + (this.opts.enterFrac ?? 0.45) * (high - low);
      exit = low + (this.opts.exitFrac ?? 0.75) * (high - low);
    } else if (this.sm.phase !== 'down') {
      // No range yet (start of a set): treat "near the highest value so far" as the resting band, so the
      // first descent starts from 'up' and the first rep counts once the range is established.
      exit = high - 0.25 * this.spec.minAmplitude;
    }
    const r = Number.isFinite(v) ? this.sm.step(t, v, enter, exit) : null;
    if (r) {
      const rep = toRep(r, this.list.length, this.sign);
      this.list.push(rep);
      const best = Math.max(...this.list.map((x) => x.amplitude));
      for (const x of this.list) x.romFraction = best > 0 ? Math.round((x.amplitude / best) * 1000) / 1000 : 0;
      const score = scoreRep(rep, median(this.list.map((x) => x.durationSec)));
      events.push({ type: 'rep', rep: { ...rep }, score, count: this.list.length });
    }
    if (this.sm.phase !== this.lastPhase) {
      this.lastPhase = this.sm.phase;
      events.push({ type: 'phase', phase: this.lastPhase, tSec: t });
    }
    return events;
  }

  private pushHold(frame: FrameLandmarks, t: number): RepEvent[] {
    const events: RepEvent[] = [];
    const maxGap = this.opts.maxGapSec ?? 0.6;
    this.current = signalValue(frame, 'bodyLine', this.opts);
    if (frame) {
      this.postureBuf.push({ t, on: isPlankPosture(frame, this.opts) ? 1 : 0 });
    } else if (this.postureBuf.length && t - this.postureBuf[this.postureBuf.length - 1]!.t > maxGap) {
      this.postureBuf.push({ t, on: 0 });
    }
    while (this.postureBuf.length > 1 && this.postureBuf[0]!.t < t - 0.6) this.postureBuf.shift();
    const on = this.postureBuf.length > 0 && this.postureBuf.reduce((a, s) => a + s.on, 0) * 2 > this.postureBuf.length;
    if (on) {
      if (!this.holding) {
        this.holdStart = t;
        events.push({ type: 'hold-start', tSec: t });
      }
      this.lastOnT = t;
    } else if (this.holding) {
      const seg = this.lastOnT - this.holdStart;
      if (seg >= (this.opts.minHoldSec ?? 1)) this.closedHold += seg;
      this.holdStart = NaN;
      events.push({ type: 'hold-end', tSec: t, segmentSec: Math.round(seg * 100) / 100, holdSec: this.holdSec });
    }
    return events;
  }
}
