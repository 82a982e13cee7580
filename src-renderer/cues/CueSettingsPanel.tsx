/**
 * Coach settings for the form cues of one exercise: switch all cues off, switch single cues off, edit a rule's
 * threshold (in the rule's own unit). Controlled: the parent loads and saves the settings (cue-settings.json in
 * the project, src-main/cues/settings-store.ts) and passes them in. The edit helpers are pure and exported.
 */
import { useState } from 'react';
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../../src-shared/domain/exercises';
import { MEASURES } from '../../src-shared/cues/measures';
import { rulesFor } from '../../src-shared/cues/rules';
import type { CueCount, CueSettings } from '../../src-shared/cues';

export function withExerciseOn(s: CueSettings, exercise: ExerciseType, on: boolean): CueSettings {
  const off = new Set(s.offExercises ?? []);
  if (on) off.delete(exercise);
  else off.add(exercise);
  return { ...s, offExercises: [...off] };
}

export function withCueOn(s: CueSettings, id: string, on: boolean): CueSettings {
  const off = new Set(s.disabled ?? []);
  if (on) off.delete(id);
  else off.add(id);
  return { ...s, disabled: [...off] };
}

/** `value` null = back to the table's default. */
export function withThreshold(s: CueSettings, id: string, value: number | null): CueSettings {
  const t = { ...(s.thresholds ?? {}) };
  if (value === null) delete t[id];
  else t[id] = value;
  return { ...s, thresholds: t };
}

function ThresholdInput({
  value,
  fallback,
  onCommit,
}: {
  value: number | undefined;
  fallback: number;
  onCommit: (v: number | null) => void;
}) {
  const [text, setText] = useState(value !== undefined ? String(value) : '');
  const bad = text.trim() !== '' && !Number.isFinite(Number(text));
  return (
    <input
      type="text"
      inputMode="decimal"
      size={6}
      value={text}
      placeholder={String(fallback)}
      aria-invalid={bad}
      title={bad ? 'Not a number: the saved threshold is kept' : 'Empty = the default'}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        if (bad) return;
        onCommit(text.trim() === '' ? null : Number(text));
      }}
    />
  );
}

export function CueSettingsPanel({
  exercise,
  settings,
  onChange,
  problems = [],
}: {
  exercise: ExerciseType;
  settings: CueSettings;
  onChange: (s: CueSettings) => void;
  problems?: string[];
}) {
  const rules = rulesFor(exercise);
  const exerciseOn = !(settings.offExercises ?? []).includes(exercise);
  const off = new Set(settings.disabled ?? []);
  return (
    <section className="cue-settings" data-testid="cue-settings">
      <label>
        <input
          type="checkbox"
          checked={exerciseOn}
          onChange={(e) => onChange(withExerciseOn(settings, exercise, e.target.checked))}
        />{' '}
        Form cues for {EXERCISE_DISPLAY_NAMES[exercise]}
      </label>
      {rules.length === 0 ? (
        <p className="muted">
          No rule cues for this exercise; a learned cue model can be trained from a labelled landmark CSV.
        </p>
      ) : (
        // A list, not a table: the panel sits in a narrow side column (Score a video, Live).
        <ul className="cue-rules">
          {rules.map((r) => (
            <li key={r.id} data-cue={r.id} className={exerciseOn && !off.has(r.id) ? '' : 'muted'}>
              <label className="cue-rule-name">
                <input
                  type="checkbox"
                  aria-label={`${r.text}: on`}
                  disabled={!exerciseOn}
                  checked={!off.has(r.id)}
                  onChange={(e) => onChange(withCueOn(settings, r.id, e.target.checked))}
                />{' '}
                {r.text}
              </label>
              <div className="cue-rule-when">
                Fires when {r.when === 'above' ? '>' : '<'}{' '}
                <ThresholdInput
                  value={settings.thresholds?.[r.id]}
                  fallback={r.threshold}
                  onCommit={(v) => onChange(withThreshold(settings, r.id, v))}
                />{' '}
                {MEASURES[r.measure].unit}
              </div>
              <div className="cue-rule-reads muted">
                Reads {MEASURES[r.measure].reads} ({r.phase}) · view: {r.view}
              </div>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <ul className="error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The set summary: top cues with how many reps had them. */
export function CueSummary({ counts, reps, unit = 'reps' }: { counts: CueCount[]; reps: number; unit?: string }) {
  if (!counts.length)
    return (
      <div className="muted" data-testid="cue-summary">
        No form cues in this set
      </div>
    );
  return (
    <ul className="cue-summary" data-testid="cue-summary">
      {counts.map((c) => (
        <li key={c.id} data-cue={c.id}>
          {c.text}{' '}
          <span className="muted">
            — {c.count} of {reps} {unit}
            {c.source === 'learned' ? ' (learned)' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
