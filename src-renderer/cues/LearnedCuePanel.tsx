/**
 * The learned cue model of one exercise, in the cue settings: the stored model (labels, held-out accuracy and
 * confusion matrix, on/off like a rule cue, delete) and training a new one from a labelled landmark CSV: pick the
 * file (only read), the label column and a column mapping if the landmarks are named otherwise, see the labels
 * found, give each form error its cue text, train. The project keeps the model only when training finished
 * (`cues.trainLearned`); a refused CSV lists every problem and leaves the old model in place.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { LandmarkCsvPreview, StoredLearnedCueModel } from '../../src-shared/api/cues-contract';
import { learnedModelId } from '../../src-shared/cues/evaluate';
import type { CueSettings } from '../../src-shared/cues';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import { withCueOn } from './CueSettingsPanel';
import { LearnedMetrics, parseMappingText } from './LearnedMetrics';

export function LearnedCuePanel({
  exercise,
  settings,
  onChange,
}: {
  exercise: ExerciseType;
  settings: CueSettings;
  onChange: (s: CueSettings) => void;
}) {
  const [model, setModel] = useState<StoredLearnedCueModel | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [labelColumn, setLabelColumn] = useState('label');
  const [mappingText, setMappingText] = useState('');
  const [aspectText, setAspectText] = useState('');
  const [preview, setPreview] = useState<LandmarkCsvPreview | null>(null);
  const [cueText, setCueText] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  const fail = (e: Error & { issues?: Array<{ message: string }> }) =>
    setProblems(e.issues?.map((i) => i.message) ?? [e.message]);
  useEffect(() => {
    setModel(null);
    setPreview(null);
    void api
      .call('cues.listLearned', {})
      .then((r) => setModel(r.models.find((m) => m.exercise === exercise) ?? null))
      .catch(fail);
  }, [exercise]);

  const source = () => {
    const { mapping, error } = parseMappingText(mappingText);
    if (error) throw new Error(error);
    return { text: file!.text, name: file!.name, labelColumn: labelColumn.trim() || undefined, mapping };
  };
  const read = async () => {
    setProblems([]);
    setPreview(null);
    try {
      setBusy('Reading…');
      const p = await api.call('cues.previewCsv', source());
      setPreview(p);
      setCueText((old) => Object.fromEntries(Object.keys(p.labelCounts).map((l) => [l, old[l] ?? ''])));
    } catch (e) {
      fail(e as Error);
    } finally {
      setBusy(null);
    }
  };
  const train = async () => {
    setProblems([]);
    try {
      setBusy('Training…');
      const labels = Object.fromEntries(Object.entries(cueText).map(([l, t]) => [l, t.trim() || null]));
      const aspect = aspectText.trim() ? Number(aspectText) : undefined;
      setModel(await api.call('cues.trainLearned', { ...source(), exercise, labels, aspect }));
    } catch (e) {
      fail(e as Error);
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    try {
      await api.call('cues.deleteLearned', { exercise });
      setModel(null);
    } catch (e) {
      fail(e as Error);
    }
  };
  const id = learnedModelId(exercise);
  const on = !(settings.disabled ?? []).includes(id);

  return (
    <div className="learned-cues" data-testid="learned-cue-panel">
      <h4>Learned cue model</h4>
      {model ? (
        <div data-testid="learned-model">
          <label>
            <input
              type="checkbox"
              checked={on}
              aria-label={`Learned ${exercise} cues: ${on ? 'on' : 'off'}`}
              onChange={(e) => onChange(withCueOn(settings, id, e.target.checked))}
            />{' '}
            Runs with the rule cues:{' '}
            {model.labels
              .map((l, i) => `${l}${model.cueText[i] ? ` = “${model.cueText[i]}”` : ' (correct)'}`)
              .join(', ')}
          </label>
          <p className="muted">
            From {model.sourceName}, {new Date(model.trainedAt).toLocaleString()}.{' '}
            <button type="button" onClick={() => void remove()}>
              Delete
            </button>
          </p>
          <LearnedMetrics model={model} />
        </div>
      ) : (
        <p className="muted">None for this exercise: train one from a labelled landmark CSV.</p>
      )}
      <div className="form-row">
        <label>
          Landmark CSV{' '}
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="learned-csv-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              setPreview(null);
              if (f) void f.text().then((text) => setFile({ name: f.name, text }));
            }}
          />
        </label>{' '}
        <label>
          Label column <input size={8} value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)} />
        </label>{' '}
        <label>
          Column mapping{' '}
          <input
            size={28}
            placeholder="only if not MediaPipe names, e.g. LShoulder=left_shoulder"
            value={mappingText}
            onChange={(e) => setMappingText(e.target.value)}
          />
        </label>{' '}
        <button type="button" disabled={!file || !!busy} onClick={() => void read()} data-testid="learned-csv-read">
          Read
        </button>
      </div>
      {preview ? (
        <div data-testid="learned-csv-preview">
          <p className="muted">
            {preview.rows} rows, {preview.landmarks.length} landmarks. Give each form error its cue; leave the correct
            form blank.
          </p>
          {Object.entries(preview.labelCounts).map(([l, n]) => (
            <div key={l} className="form-row">
              <label>
                {l} ({n} rows){' '}
                <input
                  size={30}
                  placeholder="correct form (no cue)"
                  value={cueText[l] ?? ''}
                  onChange={(e) => setCueText({ ...cueText, [l]: e.target.value })}
                />
              </label>
            </div>
          ))}
          <div className="form-row">
            <label title="The CSV's coordinates carry no image size: the width/height of the videos they came from (e.g. 1.778 for 16:9); empty = 1">
              Image aspect (w/h){' '}
              <input size={6} placeholder="1" value={aspectText} onChange={(e) => setAspectText(e.target.value)} />
            </label>
          </div>
          <button type="button" disabled={!!busy} onClick={() => void train()} data-testid="learned-train">
            Train {model ? '(replaces the model above)' : ''}
          </button>
        </div>
      ) : null}
      {busy ? <p className="muted">{busy}</p> : null}
      {problems.length ? (
        <ul className="error" role="alert" data-testid="learned-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
