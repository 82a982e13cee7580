import { overlayColor } from '../../src-shared/domain/scores';

export interface TimelineRep {
  index: number;
  score: number;
  startSec: number;
  endSec: number;
  cues?: string[];
}

/** One colored block per rep (green ≥70, orange ≥50, red <50), numbered, with its score and cues. */
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
          className={`rep score-bg-${overlayColor(r.score)}`}
          title={`Rep ${r.index + 1}: ${r.score.toFixed(0)}/100 · ${r.startSec.toFixed(1)}–${r.endSec.toFixed(1)} s${r.cues?.length ? ` · ${r.cues.join(', ')}` : ''}`}
          onClick={() => onSeek?.(r.startSec)}
        >
          <span className="rep-n">{r.index + 1}</span>
          <span className="rep-s">{r.score.toFixed(0)}</span>
        </button>
      ))}
    </div>
  );
}

export function summarize(reps: TimelineRep[]): { count: number; mean: number | null; best: TimelineRep | null; worst: TimelineRep | null } {
  if (reps.length === 0) return { count: 0, mean: null, best: null, worst: null };
  const sorted = [...reps].sort((a, b) => b.score - a.score);
  return { count: reps.length, mean: reps.reduce((a, r) => a + r.score, 0) / reps.length, best: sorted[0], worst: sorted[sorted.length - 1] };
}
