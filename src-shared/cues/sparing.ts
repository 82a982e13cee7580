/**
 * Showing cues sparingly. Per rep at most one cue (cuesForRep already picks the most severe). Live, a cue is
 * spoken/shown only when the same cue was found on at least 2 of the last 3 reps (this one included): coaching
 * apps deliberately avoid nagging on a one-off. `quietReps` (default 0) additionally keeps a shown cue silent
 * for that many following reps. The set summary lists the cues with how many reps had them.
 */
import type { Cue } from './types';

export class LiveCueFilter {
  private history: Array<string | null> = [];
  private lastShownAt = -Infinity;
  private reps = 0;

  constructor(private readonly opts: { window?: number; needed?: number; quietReps?: number } = {}) {}

  /** The rep's cue (or none) → the cue to show now, or null. Call once per completed rep. */
  push(cues: readonly Cue[]): Cue | null {
    const cue = cues[0] ?? null;
    const window = this.opts.window ?? 3,
      needed = this.opts.needed ?? 2,
      quiet = this.opts.quietReps ?? 0;
    this.history.push(cue?.id ?? null);
    if (this.history.length > window) this.history.shift();
    const rep = this.reps++;
    if (!cue) return null;
    const hits = this.history.filter((id) => id === cue.id).length;
    if (hits < needed || rep - this.lastShownAt <= quiet) return null;
    this.lastShownAt = rep;
    return cue;
  }

  reset(): void {
    this.history = [];
    this.reps = 0;
    this.lastShownAt = -Infinity;
  }
}

export interface CueCount {
  id: string;
  text: string;
  source: Cue['source'];
  /** Reps that had this cue. */
  count: number;
  /** Their 0-based indices within the set. */
  reps: number[];
}

/** Set summary: cues by how many reps had them (most first; ties in order of first appearance). */
export function summarizeCues(perRep: ReadonlyArray<readonly Cue[]>, top = 3): CueCount[] {
  const byId = new Map<string, CueCount>();
  perRep.forEach((cues, rep) => {
    for (const c of cues) {
      const e = byId.get(c.id) ?? { id: c.id, text: c.text, source: c.source, count: 0, reps: [] };
      if (!e.reps.includes(rep)) {
        e.count++;
        e.reps.push(rep);
      }
      byId.set(c.id, e);
    }
  });
  return [...byId.values()].sort((a, b) => b.count - a.count).slice(0, top);
}
