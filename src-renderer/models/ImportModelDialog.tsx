/**
 * "Import model": a Keras .keras / .h5 or a .tflite, with the choices the file cannot answer itself: the score
 * scale, the exercise classes when there are not the toolkit's 14, the input reshape, and which output is which
 * when a .tflite's shapes do not tell (the server lists the outputs; we ask).
 */
import { useState } from 'react';
import { api } from '../api/client';
import { ApiError } from '../../src-shared/api/errors';
import type { ModelInfo } from '../../src-shared/api/models-contract';
import { Modal } from '../app/Modal';
import { InputRow } from '../app/InputRow';

export const MODEL_FILE_ACCEPT = '.keras,.h5,.hdf5,.tflite';

export function isModelFile(name: string): boolean {
  return /\.(keras|h5|hdf5|tflite)$/i.test(name);
}

async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

export function ImportModelDialog({
  file,
  onClose,
  onImported,
}: {
  file: File;
  onClose: () => void;
  onImported: (m: ModelInfo) => void;
}) {
  const isTflite = /\.tflite$/i.test(file.name);
  const [scale, setScale] = useState('');
  const [classes, setClasses] = useState('');
  const [reshape, setReshape] = useState(false);
  const [outputs, setOutputs] = useState<string[] | null>(null);
  const [scoreOutput, setScoreOutput] = useState('');
  const [probsOutput, setProbsOutput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    const scoreScale = scale.trim() ? Number(scale) : undefined;
    const classNames = classes.trim()
      ? classes
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : undefined;
    try {
      const bytesBase64 = await fileToBase64(file);
      const info = isTflite
        ? await api.call('models.importTflite', {
            name: file.name,
            bytesBase64,
            scoreScale,
            classNames,
            scoreOutput: scoreOutput || undefined,
            probsOutput: probsOutput || undefined,
          })
        : await api.call('models.importKeras', {
            name: file.name,
            bytesBase64,
            scoreScale,
            classNames,
            reshapeInput: reshape || undefined,
          });
      onImported(info);
    } catch (err) {
      const choices =
        err instanceof ApiError ? err.issues?.filter((i) => i.path === 'outputs').map((i) => i.message) : undefined;
      if (choices?.length) setOutputs(choices);
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal onClose={onClose} aria-modal="true" aria-labelledby="import-model-title" data-testid="import-model-dialog">
      <h2 id="import-model-title">Import “{file.name}”</h2>
      <p className="muted">
        {isTflite
          ? 'A .tflite scorer: its [1,1] output is the score and its [1,K] output the exercise.'
          : 'A Keras model: it becomes an app model that scores and exports to builtin-ops TFLite. Your file is only read.'}
      </p>
      <InputRow
        label="Score scale"
        type="number"
        min="0"
        step="any"
        placeholder="auto (sigmoid ×100, linear ×1)"
        value={scale}
        onChange={(e) => setScale(e.target.value)}
        data-testid="import-score-scale"
      />
      <InputRow
        label="Exercise classes, in output order"
        type="text"
        placeholder="only if not the toolkit's 14, e.g. squat,lunge,other"
        value={classes}
        onChange={(e) => setClasses(e.target.value)}
        data-testid="import-class-names"
      />
      {!isTflite ? (
        <div className="form-row">
          <label>
            <input type="checkbox" checked={reshape} onChange={(e) => setReshape(e.target.checked)} /> Reshape input
            ([N, 24, 132] fed as [N, 24, 33, 4])
          </label>
        </div>
      ) : null}
      {outputs ? (
        <div className="form-row" data-testid="import-output-choice">
          <label>
            Score output{' '}
            <select value={scoreOutput} onChange={(e) => setScoreOutput(e.target.value)}>
              <option value="">—</option>
              {outputs.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <label>
            Exercise output{' '}
            <select value={probsOutput} onChange={(e) => setProbsOutput(e.target.value)}>
              <option value="">none</option>
              {outputs.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="import-model-error">
          {error}
        </p>
      ) : null}
      <div className="fs-modal-actions">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" disabled={busy} onClick={() => void run()} data-testid="import-model-go">
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
    </Modal>
  );
}
