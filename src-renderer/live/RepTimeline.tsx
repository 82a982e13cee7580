import { overlayColor } from '../../src-shared/domain/scores';
import type { RepCue } from '../../src-shared/reps/cues';
import type { Cue } from '../../src-shared/cues';

export interface TimelineRep {
  index: number;
  /** The model's score of the rep's window; null without a model. */
  score: number | null;
  startSec: number;
  endSec: number;
  cues?: RepCue[];
  /** The form cue shown on the tile (Live: only once it passed the 2-of-3 filter). */
  formCue?: Cue | null;
  /** Live: the rep's own form cue as found, shown or not (kept in the saved set and its summary). */
  cueFound?: Cue | null;
}

/** One block per rep, numbered, coloured by the model's rep score (green ≥70, orange ≥50, red <50), its form cue and remarks beside it. */
export function RepTimeline({
  reps,
  holdSec,
  holdCues,
  onSeek,
}: {
  reps: TimelineRep[];
  holdSec?: number | null;
  holdCues?: ReadonlyArray<{ startSec: number; endSec: number; formCue: Cue | null }>;
  onSeek?: (t: number) => void;
}) {
  if (holdSec != null) {
    return (
      <div className="rep-timeline" data-testid="rep-timeline">
        <span className="rep hold">Held {holdSec.toFixed(1)} s</span>
        {holdCues?.map((w) =>
          w.formCue ? (
            <button
              key={w.startSec}
              className="rep hold form-cue"
              data-testid="rep-form-cue"
              data-cue={w.formCue.id}
              onClick={() => onSeek?.(w.startSec)}
            >
              {w.startSec.toFixed(0)}–{w.endSec.toFixed(0)} s: {w.formCue.text}
            </button>
          ) : null,
        )}
      </div>
    );
  }
  if (reps.length === 0)
    return (
      <div className="rep-timeline muted" data-testid="rep-timeline">
        No reps yet
      </div>
    );
  return (
    <div className="rep-timeline" data-testid="rep-timeline">
      {reps.map((r) => (
        <button
          key={r.index}
          className={`rep${r.score !== null ? ` score-bg-${overlayColor(r.score)}` : ''}`}
          title={`Rep ${r.index + 1}: model score ${r.score !== null ? `${r.score.toFixed(0)}/100` : '—'} · ${r.startSec.toFixed(1)}–${r.endSec.toFixed(1)} s${r.formCue ? ` · cue: ${r.formCue.text}` : ''}${r.cues?.length ? ` · ${r.cues.map((c) => c.text).join(', ')}` : ''}`}
          onClick={() => onSeek?.(r.startSec)}
          data-testid="rep-tile"
        >
          <span className="rep-n">{r.index + 1}</span>
          <span className="rep-s">{r.score !== null ? r.score.toFixed(0) : '—'}</span>
          {r.formCue ? (
            <span
              className="rep-form-cue"
              data-testid="rep-form-cue"
              data-cue={r.formCue.id}
              title={`Form cue (${r.formCue.source}, severity ${r.formCue.severity}): not part of the score`}
            >
              {shortCue(r.formCue)}
            </span>
          ) : null}
          {r.cues?.length ? (
            <span className="rep-cues" title="Remarks (range of motion / tempo rules, not part of the score)">
              {r.cues.map((c) => c.id).join(' · ')}
            </span>
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** The cue's first clause for a small tile ("Go deeper"); the full text is in the tooltip. */
export function shortCue(c: Cue): string {
  return c.text.split(/[:;]/)[0]!.trim();
}

/** Count, and over the reps the model scored: mean (the set score), best and worst. */
export function summarize(reps: TimelineRep[]): {
  count: number;
  mean: number | null;
  best: TimelineRep | null;
  worst: TimelineRep | null;
} {
  const scored = reps.filter((r): r is TimelineRep & { score: number } => r.score !== null);
  if (scored.length === 0) return { count: reps.length, mean: null, best: null, worst: null };
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  return {
    count: reps.length,
    mean: scored.reduce((a, r) => a + r.score, 0) / scored.length,
    best: sorted[0]!,
    worst: sorted[sorted.length - 1]!,
  };
}
