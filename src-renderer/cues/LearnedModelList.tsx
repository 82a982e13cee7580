/**
 * The learned cue models of one exercise, as the project keeps them: an exercise may have several, each checking
 * its own thing (a plank's hips, another aspect trained later), each with its own switch, metrics and Delete.
 * All that are on run with the rule cues; a rep still shows at most one cue, the most severe.
 */
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';
import { learnedModelId } from '../../src-shared/cues/learned';
import type { CueSettings } from '../../src-shared/cues';
import { withCueOn } from './CueSettingsPanel';
import { LearnedMetrics } from './LearnedMetrics';

/** How a model is called in the panel: its name, or "unnamed" for an exercise's first (older) kind. */
export function modelLabel(m: Pick<StoredLearnedCueModel, 'exercise' | 'name'>): string {
  return m.name ? `${m.exercise} '${m.name}'` : `${m.exercise} (unnamed)`;
}

export function LearnedModelList({
  models,
  settings,
  onChange,
  onDelete,
}: {
  models: readonly StoredLearnedCueModel[];
  settings: CueSettings;
  onChange: (s: CueSettings) => void;
  onDelete: (m: StoredLearnedCueModel) => void;
}) {
  if (!models.length) return <p className="muted">None for this exercise: train one from a labelled landmark CSV.</p>;
  const off = new Set(settings.disabled ?? []);
  return (
    <>
      {models.map((model) => {
        const id = learnedModelId(model.exercise, model.name);
        const on = !off.has(id);
        return (
          <div key={id} data-testid="learned-model" data-model={id}>
            <label>
              <input
                type="checkbox"
                checked={on}
                aria-label={`Learned ${modelLabel(model)} cues: ${on ? 'on' : 'off'}`}
                onChange={(e) => onChange(withCueOn(settings, id, e.target.checked))}
              />{' '}
              <strong>{model.name ?? 'Unnamed model'}</strong> runs with the rule cues:{' '}
              {model.labels
                .map((l, i) => `${l}${model.cueText[i] ? ` = “${model.cueText[i]}”` : ' (correct)'}`)
                .join(', ')}
            </label>
            <p className="muted">
              From {model.sourceName}, {new Date(model.trainedAt).toLocaleString()}.{' '}
              <button type="button" onClick={() => onDelete(model)}>
                Delete
              </button>
            </p>
            <LearnedMetrics model={model} />
          </div>
        );
      })}
    </>
  );
}
