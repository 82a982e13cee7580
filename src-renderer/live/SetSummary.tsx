/** After a live set: its summary (count, set score, best / worst rep, top form cues), and the live cue banner. */
import type { Cue } from '../../src-shared/cues';
import { CueSummary } from '../cues/CueSettingsPanel';
import type { summarize } from './RepTimeline';
import type { setCueSummary } from './live-cues';

export function SetSummary({
  summary,
  cues,
  savedSet,
}: {
  summary: ReturnType<typeof summarize>;
  cues: ReturnType<typeof setCueSummary>;
  savedSet: number | null;
}) {
  return (
    <div className="set-summary" data-testid="set-summary">
      <b>Set summary</b>: {summary.count} reps
      {summary.best && summary.worst && summary.mean !== null
        ? ` · set score ${summary.mean.toFixed(0)} (mean of the model's rep scores) · best #${summary.best.index + 1} (${summary.best.score!.toFixed(0)}) · worst #${summary.worst.index + 1} (${summary.worst.score!.toFixed(0)})`
        : ' · no model scores'}
      <CueSummary counts={cues.counts} reps={cues.of} unit={cues.unit} />
      {savedSet ? (
        <div className="muted" data-testid="set-saved">
          Saved to the project (set {savedSet})
        </div>
      ) : null}
    </div>
  );
}

/** The cue that passed the live filter (2 of the last 3 reps), or why there are no cues. */
export function LiveCueBanner({ cue, problem }: { cue: Cue | null; problem: string | null }) {
  if (problem)
    return (
      <p className="warning" role="status" data-testid="live-cue-problem">
        {problem}
      </p>
    );
  if (!cue) return null;
  return (
    <div
      className="live-cue"
      role="status"
      aria-live="polite"
      data-testid="live-cue"
      data-cue={cue.id}
      title="Shown because it came up on 2 of the last 3 reps"
    >
      {cue.text}
    </div>
  );
}
