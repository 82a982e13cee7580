/**
 * The learned cue models of one exercise, in the cue settings: the stored models (LearnedModelList: labels,
 * held-out accuracy and confusion matrix, on/off like a rule cue, delete) and training one from a labelled landmark
 * CSV: pick the file (only read), the label column and a column mapping if the landmarks are named otherwise, see
 * the labels found, give each form error its cue text, name the model if the exercise has others (what it
 * checks), train. Training is a job (`cues.startTraining`: progress, ETA, Cancel); the project keeps the model
 * only when training finished; a refused CSV lists every problem and leaves the old model in place.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { LandmarkCsvPreview, StoredLearnedCueModel } from '../../src-shared/api/cues-contract';
import type { CueSettings } from '../../src-shared/cues';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { JobInfo } from '../../src-shared/domain/jobs';
import { parseMappingText } from './LearnedMetrics';
import { LearnedModelList } from './LearnedModelList';
import { CueTrainingJob } from './CueTrainingJob';
import { InputRow } from '../app/InputRow';

export function LearnedCuePanel({
  exercise,
  settings,
  onChange,
}: {
  exercise: ExerciseType;
  settings: CueSettings;
  onChange: (s: CueSettings) => void;
}) {
  const [models, setModels] = useState<StoredLearnedCueModel[]>([]);
  const [modelName, setModelName] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
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
  const reload = useCallback(
    () =>
      void api
        .call('cues.listLearned', {})
        .then((r) => setModels(r.models.filter((m) => m.exercise === exercise)))
        .catch(fail),
    [exercise],
  );
  useEffect(() => {
    setModels([]);
    setPreview(null);
    setEnded(null);
    reload();
  }, [reload]);
  const jobEnded = useCallback(
    (job: JobInfo) => {
      setJobId(null);
      if (job.state === 'failed') fail(new Error(job.message ?? 'Training failed'));
      else setEnded(job.state === 'cancelled' ? 'Training cancelled: nothing saved.' : job.message);
      reload();
    },
    [reload],
  );

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
    setEnded(null);
    try {
      setBusy('Checking the CSV…');
      const labels = Object.fromEntries(Object.entries(cueText).map(([l, t]) => [l, t.trim() || null]));
      const aspect = aspectText.trim() ? Number(aspectText) : undefined;
      const name = modelName.trim() || undefined;
      setJobId(
        (await api.call('cues.startTraining', { ...source(), exercise, modelName: name, labels, aspect })).jobId,
      );
    } catch (e) {
      fail(e as Error);
    } finally {
      setBusy(null);
    }
  };
  const remove = async (m: StoredLearnedCueModel) => {
    try {
      await api.call('cues.deleteLearned', { exercise, modelName: m.name });
      reload();
    } catch (e) {
      fail(e as Error);
    }
  };
  const replaces = models.some((m) => (m.name ?? '') === modelName.trim());

  return (
    <div className="learned-cues" data-testid="learned-cue-panel">
      <h4>Learned cue model</h4>
      <LearnedModelList models={models} settings={settings} onChange={onChange} onDelete={(m) => void remove(m)} />
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
            <InputRow
              key={l}
              label={`${l} (${n} rows)`}
              size={30}
              placeholder="correct form (no cue)"
              value={cueText[l] ?? ''}
              onChange={(e) => setCueText({ ...cueText, [l]: e.target.value })}
            />
          ))}
          <InputRow
            label="Image aspect (w/h)"
            title="The CSV's coordinates carry no image size: the width/height of the videos they came from (e.g. 1.778 for 16:9); empty = 1"
            size={6}
            placeholder="1"
            value={aspectText}
            onChange={(e) => setAspectText(e.target.value)}
          />
          <InputRow
            label="Model name"
            title="What this model checks, e.g. hips or head: an exercise can have several models, each with its own switch. Empty = the unnamed model."
            size={12}
            placeholder="unnamed"
            value={modelName}
            onChange={(e) => setModelName(e.target.value)}
            data-testid="learned-model-name"
          />
          <button type="button" disabled={!!busy || !!jobId} onClick={() => void train()} data-testid="learned-train">
            Train {replaces ? `(replaces the ${modelName.trim() ? `'${modelName.trim()}'` : 'unnamed'} model)` : ''}
          </button>
        </div>
      ) : null}
      {busy ? <p className="muted">{busy}</p> : null}
      {jobId ? <CueTrainingJob jobId={jobId} onEnd={jobEnded} /> : null}
      {ended ? (
        <p className="muted" data-testid="learned-training-ended">
          {ended}
        </p>
      ) : null}
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
