/**
 * Per-rep quality score, 0–100. What it measures (simple form cues, no model needed):
 *
 *  - range of motion (weight 0.7): the rep's amplitude as a fraction of the set's fullest rep
 *    (`romFraction`); ≥ 0.9 scores full marks, falling linearly to 0 at 0.4. A half-depth squat in a set of
 *    deep ones scores low; a set where every rep is equally shallow is not penalised (compare `depthDeg`
 *    with a target yourself for absolute depth).
 *  - tempo (weight 0.3): the rep's duration against the set's median duration; within ×0.67–×1.5 scores
 *    full marks, falling linearly to 0 at ×0.33 (rushed / bounced) or ×3 (stalled). Reps shorter than
 *    `minRepSec` in absolute terms are capped at half marks.
 *
 * With `modelScore` (e.g. the app's ScoringModel run on the rep's frames, 0–100) the result blends the
 * two: (1 − modelWeight)·cues + modelWeight·model. A model that returns null for a rep leaves the cue score.
 */
import { median } from './filter';
import type { Rep } from './count';

export interface RepScore {
  index: number;
  /** 0–100. */
  score: number;
  /** 0–1 sub-scores. */
  rom: number;
  tempo: number;
  /** The model's 0–100 score for the rep window, when a modelScore function was given. */
  model: number | null;
  /** Short human cues, e.g. 'shallow', 'rushed', 'slow'. */
  cues: string[];
}

export interface ScoreOptions {
  modelScore?: (rep: Rep) => number | null;
  /** Default 0.5. */
  modelWeight?: number;
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
  const cues: string[] = [];
  if (rep.durationSec < (opts.minRepSec ?? 0.8)) tempo = Math.min(tempo, 0.5);
  if (rom < 0.8) cues.push('shallow');
  if (tempo < 1) cues.push(rep.durationSec < refDurationSec ? 'rushed' : 'slow');
  let score = 100 * (0.7 * rom + 0.3 * tempo);
  let model: number | null = null;
  if (opts.modelScore) {
    const m = opts.modelScore(rep);
    if (m !== null && Number.isFinite(m)) {
      model = Math.max(0, Math.min(100, m));
      const w = clamp01(opts.modelWeight ?? 0.5);
      score = (1 - w) * score + w * model;
    }
  }
  return { index: rep.index, score: Math.round(score), rom: Math.round(rom * 100) / 100, tempo: Math.round(tempo * 100) / 100, model, cues };
}

/** Scores every rep of a set against the set itself (ROM vs best rep, duration vs median). */
export function scoreReps(reps: readonly Rep[], opts: ScoreOptions = {}): RepScore[] {
  const ref = opts.targetDurationSec ?? median(reps.map((r) => r.durationSec));
  return reps.map((r) => scoreRep(r, ref, opts));
}

/** Indices [from, to) of the frames inside a rep (for running a model on the rep's window). */
export function repFrameRange(rep: Pick<Rep, 'startSec' | 'endSec'>, timestampsSec: readonly number[]): [number, number] {
  let from = timestampsSec.findIndex((t) => t >= rep.startSec);
  if (from < 0) from = timestampsSec.length;
  let to = from;
  while (to < timestampsSec.length && timestampsSec[to]! <= rep.endSec) to++;
  return [from, to];
}
