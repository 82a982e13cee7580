/**
 * Per-rep scores. A rep's score is the trained model's score of the rep's own window (its frames resampled to
 * the model's N frames through the same `modelInput` path as training), so it means what the clip score
 * means. Range of motion and tempo are not folded into it: they become cues (cues.ts) shown beside it.
 * `rom` and `tempo` (0–1) are kept as numbers for charts.
 */
import { median } from './filter';
import type { Rep } from './count';
import { ruleCues, type RepCue } from './cues';

export interface RepScore {
  index: number;
  /** The model's 0–100 score of the rep's window; null without a model (or when the window had no person). */
  score: number | null;
  /** 0–1: range of motion vs the set's fullest rep (≥ 0.9 → 1, 0.4 → 0). */
  rom: number;
  /** 0–1: duration vs the set's median (×0.67–×1.5 → 1). */
  tempo: number;
  cues: RepCue[];
}

export interface ScoreOptions {
  /** The model's score of the rep's window (0–100), or null. */
  modelScore?: (rep: Rep) => number | null;
  /** Absolute shortest acceptable rep (s). Default 0.8. */
  minRepSec?: number;
  /** Reference duration (s) instead of the set's median (e.g. a coach's target tempo). */
  targetDurationSec?: number;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

export function romScore(romFraction: number): number {
  return clamp01((romFraction - 0.4) / 0.5);
}

export function tempoScore(durationSec: number, refSec: number): number {
  if (!(refSec > 0) || !(durationSec > 0)) return 1;
  const r = durationSec / refSec;
  if (r < 0.67) return clamp01((r - 0.33) / (0.67 - 0.33));
  if (r > 1.5) return clamp01((3 - r) / 1.5);
  return 1;
}

export function scoreRep(rep: Rep, refDurationSec: number, opts: ScoreOptions = {}): RepScore {
  const rom = romScore(rep.romFraction);
  let tempo = tempoScore(rep.durationSec, refDurationSec);
  if (rep.durationSec < (opts.minRepSec ?? 0.8)) tempo = Math.min(tempo, 0.5);
  const m = opts.modelScore ? opts.modelScore(rep) : null;
  const score = m !== null && Number.isFinite(m) ? Math.round(Math.max(0, Math.min(100, m)) * 10) / 10 : null;
  return {
    index: rep.index,
    score,
    rom: Math.round(rom * 100) / 100,
    tempo: Math.round(tempo * 100) / 100,
    cues: ruleCues(rep, { refDurationSec, minRepSec: opts.minRepSec }),
  };
}

/** Scores every rep (model) and its cues against the set itself (ROM vs best rep, duration vs median). */
export function scoreReps(reps: readonly Rep[], opts: ScoreOptions = {}): RepScore[] {
  const ref = opts.targetDurationSec ?? median(reps.map((r) => r.durationSec));
  return reps.map((r) => scoreRep(r, ref, opts));
}

/** The set's score: the mean of the model's rep scores (null when no rep has one). */
export function setScore(scores: ReadonlyArray<{ score: number | null }>): number | null {
  const xs = scores.map((s) => s.score).filter((x): x is number => x !== null);
  return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
}

/** Indices [from, to) of the frames inside a rep (for running a model on the rep's window). */
export function repFrameRange(
  rep: Pick<Rep, 'startSec' | 'endSec'>,
  timestampsSec: readonly number[],
): [number, number] {
  let from = timestampsSec.findIndex((t) => t >= rep.startSec);
  if (from < 0) from = timestampsSec.length;
  let to = from;
  while (to < timestampsSec.length && timestampsSec[to]! <= rep.endSec) to++;
  return [from, to];
}
