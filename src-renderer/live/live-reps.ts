/**
 * Live reps: which movement to count and the count itself, kept out of LiveView's drawing loop.
 * - The user's chosen exercise (remembered per camera/source) always wins.
 * - Otherwise the model's class, smoothed over recent windows with a confidence floor (ExerciseSmoother);
 *   while it is uncertain the counter counts the movement itself ('other': the joint that moves most).
 * - A change of the counted movement never loses reps: finished reps are kept and the new counter adds to them.
 * - Each finished rep is scored by the model on the rep's own frames (resampled to N by modelInput in main).
 * - Form cues (live-cues.ts): each rep's own cue is kept; the tile and `onCue` get one only through the 2-of-3 filter.
 */
import { RepCounter } from '../../src-shared/reps/live';
import { ExerciseSmoother } from '../../src-shared/reps/guess';
import { flattenFrame } from '../../src-shared/keypoints/stored';
import type { FrameLandmarks } from '../../src-shared/keypoints/format';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { Scorer } from './scorer';
import { repWindow } from '../../src-shared/scoring/pipeline';
import type { TimelineRep } from './RepTimeline';
import type { LiveCues } from './live-cues';
import type { Cue } from '../../src-shared/cues';

export class LiveReps {
  private counter: RepCounter | null = null;
  private carried = 0;
  private readonly buf: Array<{ t: number; f: number[] | null }> = [];
  readonly smoother = new ExerciseSmoother();

  constructor(
    private readonly opts: {
      chosen: () => ExerciseType | 'auto';
      scorer: Scorer | null;
      onRep: (rep: TimelineRep) => void;
      onRepScore: (index: number, score: number) => void;
      onHold: (sec: number | null) => void;
      cues?: LiveCues | null;
      /** After each rep: the cue that passed the live filter (show / speak it now), or null (clear the last one). */
      onCue?: (cue: Cue | null) => void;
    },
  ) {}

  /** The movement counted now: chosen, else the smoothed confident class, else 'other' (the moving joint). */
  exercise(): ExerciseType {
    const c = this.opts.chosen();
    return c !== 'auto' ? c : (this.smoother.current ?? 'other');
  }

  push(landmarks: FrameLandmarks, tSec: number, aspect: number): void {
    this.buf.push({ t: tSec, f: flattenFrame(landmarks) });
    while (this.buf.length > 1 && this.buf[0]!.t < tSec - 30) this.buf.shift();
    const ex = this.exercise();
    if (!this.counter || this.counter.exercise !== ex) {
      this.carried += this.counter?.count ?? 0;
      this.counter = new RepCounter(ex, { aspect });
      this.opts.onHold(null);
    }
    for (const e of this.counter.push(landmarks, tSec)) {
      if (e.type !== 'rep') continue;
      const index = this.carried + e.rep.index;
      const cue = this.opts.cues?.rep(ex, this.buf, e.rep, aspect) ?? { found: null, show: null };
      this.opts.onRep({
        index,
        score: null,
        startSec: e.rep.startSec,
        endSec: e.rep.endSec,
        cues: e.score.cues,
        formCue: cue.show,
        cueFound: cue.found,
      });
      this.opts.onCue?.(cue.show);
      void this.scoreRep(index, e.rep.startSec, e.rep.endSec);
    }
    if (this.counter.timed) {
      this.opts.onHold(this.counter.holdSec);
      const show = this.opts.cues?.hold(ex, this.buf, tSec, this.counter.holding, aspect);
      if (show) this.opts.onCue?.(show);
    }
  }

  private async scoreRep(index: number, from: number, to: number): Promise<void> {
    const scorer = this.opts.scorer;
    if (!scorer) return;
    const win = this.buf.filter((s) => s.t >= from && s.t <= to).map((s) => s.f);
    if (win.length < 2 || win.every((f) => f === null)) return;
    const r = await scorer.score(repWindow(win)).catch(() => null);
    if (r) this.opts.onRepScore(index, Math.round(r.score * 10) / 10);
  }
}
