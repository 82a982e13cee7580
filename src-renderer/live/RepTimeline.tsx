import { overlayColor } from '../../src-shared/domain/scores';
import type { RepCue } from '../../src-shared/reps/cues';

export interface TimelineRep {
  index: number;
  /** The model's score of the rep's window; null without a model. */
  score: number | null;
  startSec: number;
  endSec: number;
  cues?: RepCue[];
}

/** One block per rep, numbered, coloured by the model's rep score (green ≥70, orange ≥50, red <50), cues beside it. */
export function RepTimeline({ reps, holdSec, onSeek }: { reps: TimelineRep[]; holdSec?: number | null; onSeek?: (t: number) => void }) {
  if (holdSec != null) {
    return (
      <div className="rep-timeline" data-testid="rep-timeline">
        <span className="rep hold">Held {holdSec.toFixed(1)} s</span>
      </div>
    );
  }
  if (reps.length === 0) return <div className="rep-timeline muted" data-testid="rep-timeline">No reps yet</div>;
  return (
    <div className="rep-timeline" data-testid="rep-timeline">
      {reps.map((r) => (
        <button
          key={r.index}
          className={`rep${r.score !== null ? ` score-bg-${overlayColor(r.score)}` : ''}`}
          title={`Rep ${r.index + 1}: model score ${r.score !== null ? `${r.score.toFixed(0)}/100` : '—'} · ${r.startSec.toFixed(1)}–${r.endSec.toFixed(1)} s${r.cues?.length ? ` · cues: ${r.cues.map((c) => c.text).join(', ')}` : ''}`}
          onClick={() => onSeek?.(r.startSec)}
          data-testid="rep-tile"
        >
          <span className="rep-n">{r.index + 1}</span>
          <span className="rep-s">{r.score !== null ? r.score.toFixed(0) : '—'}</span>
          {r.cues?.length ? <span className="rep-cues" title="Cues (range of motion / tempo rules, not part of the score)">{r.cues.map((c) => c.id).join(' · ')}</span> : null}
        </button>
      ))}
    </div>
  );
}

/** Count, and over the reps the model scored: mean (the set score), best and worst. */
export function summarize(reps: TimelineRep[]): { count: number; mean: number | null; best: TimelineRep | null; worst: TimelineRep | null } {
  const scored = reps.filter((r): r is TimelineRep & { score: number } => r.score !== null);
  if (scored.length === 0) return { count: reps.length, mean: null, best: null, worst: null };
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  return { count: reps.length, mean: scored.reduce((a, r) => a + r.score, 0) / scored.length, best: sorted[0]!, worst: sorted[sorted.length - 1]! };
}
