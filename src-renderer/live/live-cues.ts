/**
 * Form cues live, kept out of LiveView: each finished rep is judged on its own frames (cuesForRep with the project's
 * cue settings); a cue is SHOWN only when it repeats on 2 of the last 3 reps (LiveCueFilter: no nagging on a
 * one-off). A plank is judged per 5-s window of the hold. Every rep's own cue is kept, shown or not, for the saved
 * set and its summary.
 */
// the modules, not the index: the index also exports the tfjs trainer
import { cuesForRep } from '../../src-shared/cues/evaluate';
import { HOLD_WINDOW_SEC } from '../../src-shared/cues/set-cues';
import { LiveCueFilter, summarizeCues } from '../../src-shared/cues/sparing';
import type { Cue, CueCount, CueSettings, LearnedCueModel, RepWindow } from '../../src-shared/cues';
import { unflattenFrame } from '../../src-shared/keypoints/stored';
import type { FrameLandmarks } from '../../src-shared/keypoints/format';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { TimelineRep } from './RepTimeline';

type Buffered = ReadonlyArray<{ t: number; f: number[] | null }>;

export class LiveCues {
  private readonly filter = new LiveCueFilter();
  private windowStart: number | null = null;
  /** Plank: the cue found in each window of the hold (null = none). */
  readonly holdCues: Array<Cue | null> = [];

  constructor(
    private readonly settings: CueSettings,
    /** The project's learned cue models; the one for the rep's exercise runs with the rules. */
    private readonly learned: readonly LearnedCueModel[] = [],
  ) {}

  /** A finished rep (or hold window): its own cue, and the cue to show now (or null). */
  rep(exercise: ExerciseType, buf: Buffered, rep: RepWindow, aspect: number): { found: Cue | null; show: Cue | null } {
    const frames: FrameLandmarks[] = [];
    const t: number[] = [];
    for (const s of buf) {
      if (s.t < rep.startSec - 1e-6 || s.t > rep.endSec + 1e-6) continue;
      frames.push(unflattenFrame(s.f));
      t.push(s.t);
    }
    const found = t.length
      ? (cuesForRep(exercise, frames, t, rep, this.settings, { aspect, learned: this.learned })[0] ?? null)
      : null;
    return { found, show: this.filter.push(found ? [found] : []) };
  }

  /** Plank: call on every frame; each full window of a hold is judged. The cue to show now, or null. */
  hold(exercise: ExerciseType, buf: Buffered, tSec: number, holding: boolean, aspect: number): Cue | null {
    if (!holding) {
      this.windowStart = null;
      return null;
    }
    if (this.windowStart === null) this.windowStart = tSec;
    if (tSec - this.windowStart < HOLD_WINDOW_SEC) return null;
    const { found, show } = this.rep(exercise, buf, { startSec: this.windowStart, endSec: tSec }, aspect);
    this.windowStart = tSec;
    this.holdCues.push(found);
    return show;
  }
}

/**
 * The project's cue settings and learned cue models for a live set (`get` = the `cues.getSettings` call,
 * `getLearned` = `cues.listLearned`); a damaged settings or model file gives no cues and a message, not defaults.
 */
export async function loadLiveCues(
  get: () => Promise<{ settings: CueSettings }>,
  getLearned: () => Promise<{ models: LearnedCueModel[] }> = async () => ({ models: [] }),
): Promise<{ cues: LiveCues | null; problem: string | null }> {
  try {
    const [{ settings }, { models }] = await Promise.all([get(), getLearned()]);
    return { cues: new LiveCues(settings, models), problem: null };
  } catch (e) {
    return { cues: null, problem: `No form cues: ${(e as Error).message}` };
  }
}

/** The set's top cues: from every rep's own cue (or a plank's windows), shown live or not. */
export function setCueSummary(
  reps: readonly TimelineRep[],
  holdCues: ReadonlyArray<Cue | null> | null,
): { counts: CueCount[]; of: number; unit: string } {
  if (holdCues && reps.length === 0)
    return {
      counts: summarizeCues(holdCues.map((c) => (c ? [c] : []))),
      of: holdCues.length,
      unit: `${HOLD_WINDOW_SEC}-s windows`,
    };
  return { counts: summarizeCues(reps.map((r) => (r.cueFound ? [r.cueFound] : []))), of: reps.length, unit: 'reps' };
}

/** The reps as a saved set keeps them: each with its own cue. */
export function savedSetReps(reps: readonly TimelineRep[]) {
  return reps.map((r) => ({
    index: r.index,
    score: r.score,
    startSec: r.startSec,
    endSec: r.endSec,
    cue: r.cueFound ?? null,
  }));
}
