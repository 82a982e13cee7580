/**
 * The coach's form cue settings where cues are shown (Live, Score a video, Models): pick an exercise, switch its
 * cues off or edit thresholds, and its learned cue model (LearnedCuePanel: train from a landmark CSV, see the
 * confusion matrix). Loaded and saved through `cues.getSettings` / `cues.setSettings` (cue-settings.json in the
 * project); a refused change keeps the saved settings and shows why. Applies to the next rep scored.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { CUE_RULES } from '../../src-shared/cues/rules';
import type { CueSettings } from '../../src-shared/cues';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { CueSettingsPanel } from './CueSettingsPanel';
import { LearnedCuePanel } from './LearnedCuePanel';

/** Exercises that have rule cues first (the ones a coach will tune), then the rest. */
const WITH_RULES = [...new Set(CUE_RULES.map((r) => r.exercise))];
const ORDER: ExerciseType[] = [...WITH_RULES, ...EXERCISE_TYPES.filter((e) => !WITH_RULES.includes(e))];

export function CueSettingsSection({ exercise }: { exercise?: ExerciseType | null }) {
  const [settings, setSettings] = useState<CueSettings | null>(null);
  const [chosen, setChosen] = useState<ExerciseType>(exercise ?? ORDER[0]!);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (exercise) setChosen(exercise);
  }, [exercise]);
  useEffect(() => {
    void api
      .call('cues.getSettings', {})
      .then((r) => setSettings(r.settings))
      .catch((e: Error) => setProblems([e.message]));
  }, []);

  const change = (next: CueSettings) => {
    const before = settings;
    setSaved(false);
    setSettings(next); // the box flips at once; a refused change puts the saved settings back
    void api
      .call('cues.setSettings', { settings: next })
      .then((r) => {
        setSettings(r.settings);
        setProblems([]);
        setSaved(true);
      })
      .catch((e: Error & { issues?: Array<{ message: string }> }) => {
        setSettings(before);
        setProblems(e.issues?.map((i) => i.message) ?? [e.message]);
      });
  };

  return (
    <details className="cue-settings-section" data-testid="cue-settings-section">
      <summary>Form cue settings</summary>
      <label>
        Exercise{' '}
        <select
          aria-label="Exercise for cue settings"
          value={chosen}
          onChange={(e) => setChosen(e.target.value as ExerciseType)}
        >
          {ORDER.map((t) => (
            <option key={t} value={t}>
              {EXERCISE_DISPLAY_NAMES[t]}
            </option>
          ))}
        </select>
      </label>{' '}
      {saved ? (
        <span className="muted" data-testid="cue-settings-saved">
          Saved to the project: applies to the next reps scored.
        </span>
      ) : null}
      {settings ? (
        <>
          <CueSettingsPanel exercise={chosen} settings={settings} onChange={change} problems={problems} />
          <LearnedCuePanel exercise={chosen} settings={settings} onChange={change} />
        </>
      ) : problems.length ? (
        <p className="error" role="alert">
          {problems.join('; ')}
        </p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </details>
  );
}
