/**
 * An exercise guess that holds still. The model's per-window class is noisy (live: 9–18 % confidence
 * flipping between classes), so the shown class is the majority over the last `windows` guesses, counting
 * only guesses at or above a confidence floor; without a clear majority the guess is "uncertain" (null).
 * Once a class is shown it stays until another class wins a majority (no flicker at the threshold).
 */
import type { ExerciseType } from '../domain/exercises';

export interface ExerciseGuess {
  exercise: ExerciseType | null;
  confidence: number | null;
}

export interface SmoothedGuess {
  /** null = uncertain. */
  exercise: ExerciseType | null;
  /** Share of recent windows that voted for it (0–1). */
  share: number;
}

export interface SmootherOptions {
  /** Recent windows considered. Default 8. */
  windows?: number;
  /** Guesses below this confidence do not vote. Default 0.4. */
  floor?: number;
  /** Share of the recent windows a class needs to be shown. Default 0.5. */
  minShare?: number;
}

export class ExerciseSmoother {
  private readonly recent: Array<ExerciseType | null> = [];
  private shown: ExerciseType | null = null;
  constructor(private readonly opts: SmootherOptions = {}) {}

  get current(): ExerciseType | null {
    return this.shown;
  }

  reset(): void {
    this.recent.length = 0;
    this.shown = null;
  }

  push(g: ExerciseGuess): SmoothedGuess {
    const n = this.opts.windows ?? 8;
    const floor = this.opts.floor ?? 0.4;
    this.recent.push(g.exercise && (g.confidence ?? 0) >= floor ? g.exercise : null);
    while (this.recent.length > n) this.recent.shift();
    const votes = new Map<ExerciseType, number>();
    for (const e of this.recent) if (e) votes.set(e, (votes.get(e) ?? 0) + 1);
    let best: ExerciseType | null = null;
    let bestVotes = 0;
    for (const [e, v] of votes) if (v > bestVotes) [best, bestVotes] = [e, v];
    const need = Math.ceil((this.opts.minShare ?? 0.5) * n);
    if (best && bestVotes >= need) this.shown = best;
    else if (this.shown && (votes.get(this.shown) ?? 0) * 3 < this.recent.length) this.shown = null; // faded out
    return { exercise: this.shown, share: this.shown ? (votes.get(this.shown) ?? 0) / this.recent.length : 0 };
  }
}
