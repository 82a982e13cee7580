/**
 * Form cues of a whole set, as the rep report, the CLI and saved sets carry them: per rep at most one cue (the
 * most severe, `cuesForRep`) and the set's top cues with how many reps had them (`summarizeCues`). A plank has
 * no reps: its holds are judged in windows of `HOLD_WINDOW_SEC` (a coach would not speak more often).
 */
import type { ExerciseType } from '../domain/exercises';
import type { FrameLandmarks } from '../keypoints/format';
import { cuesForRep, type CueOptions } from './evaluate';
import { summarizeCues, type CueCount } from './sparing';
import type { Cue, CueSettings, RepWindow } from './types';

export const HOLD_WINDOW_SEC = 5;

export interface SetCues {
  /** One entry per window: the cue shown for it, or null. */
  perRep: Array<Cue | null>;
  /** The set's top cues (most reps first). */
  summary: CueCount[];
}

/** Whole `sec`-second windows of each hold (a hold shorter than one window is judged as one window). */
export function holdWindows(
  holds: ReadonlyArray<{ startSec: number; endSec: number }>,
  sec = HOLD_WINDOW_SEC,
): RepWindow[] {
  const out: RepWindow[] = [];
  for (const h of holds) {
    if (h.endSec - h.startSec < sec) {
      out.push({ startSec: h.startSec, endSec: h.endSec });
      continue;
    }
    for (let s = h.startSec; s + sec <= h.endSec + 1e-9; s += sec) out.push({ startSec: s, endSec: s + sec });
  }
  return out;
}

/**
 * The cue of every window of one set. `exercise` null (counted on the movement, exercise unknown) judges
 * nothing: no rule is written for an unknown movement.
 */
export function setCues(
  exercise: ExerciseType | null,
  frames: readonly FrameLandmarks[],
  timestampsSec: readonly number[],
  windows: readonly RepWindow[],
  settings: CueSettings = {},
  opts: CueOptions & { top?: number } = {},
): SetCues {
  const perRep = windows.map((w) =>
    exercise ? (cuesForRep(exercise, frames, timestampsSec, w, settings, opts)[0] ?? null) : null,
  );
  return {
    perRep,
    summary: summarizeCues(
      perRep.map((c) => (c ? [c] : [])),
      opts.top ?? 3,
    ),
  };
}

/** "Go deeper: hips down to knee level — 3 of 12 reps; …" for plain-text output. */
export function formatCueSummary(summary: readonly CueCount[], of: number, unit = 'reps'): string {
  return summary
    .map((c) => `${c.text} — ${c.count} of ${of} ${unit}${c.source === 'learned' ? ' (learned)' : ''}`)
    .join('; ');
}
