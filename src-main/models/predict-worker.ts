/**
 * A second thread for model inference (worker_threads): it holds a copy of one model and scores the batches
 * predict-helper.ts sends it, so an evaluation uses both cores. Messages: see predict-helper.ts.
 */
import { parentPort } from 'node:worker_threads';
import { initTfNode } from './tf-node';
import { ScoringModel } from '../../src-shared/model/model';
import { setLstmInferenceFastPath } from '../../src-shared/model/lstm-infer';
import type { SavedModel } from '../../src-shared/model/serialize';

export type ToWorker =
  | { type: 'load'; key: number; saved: SavedModel }
  | { type: 'predict'; id: number; key: number; x: Float32Array; batchSize: number; fastPath: boolean };
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'result'; id: number; scores: Float32Array; probs: Float32Array | null }
  | { type: 'error'; id: number; message: string };

const port = parentPort!;
let current: { key: number; model: ScoringModel } | null = null;

// No top-level await: the Electron main bundle is CommonJS.
const ready = initTfNode().then((backend) => port.postMessage({ type: 'ready', backend } satisfies FromWorker));
port.on('message', (msg: ToWorker) => void ready.then(() => handle(msg)));

function handle(msg: ToWorker): void {
  if (msg.type === 'load') {
    current?.model.dispose();
    current = { key: msg.key, model: ScoringModel.fromSaved(msg.saved) };
    return;
  }
  try {
    if (current?.key !== msg.key) throw new Error(`model ${msg.key} is not loaded in the inference worker`);
    setLstmInferenceFastPath(msg.fastPath);
    const p = current.model.predict(msg.x, msg.batchSize);
    const probs = p.exerciseProbs?.length ? flatten(p.exerciseProbs) : null;
    const out: FromWorker = { type: 'result', id: msg.id, scores: p.scores, probs };
    port.postMessage(out, (probs ? [p.scores.buffer, probs.buffer] : [p.scores.buffer]) as ArrayBuffer[]);
  } catch (err) {
    port.postMessage({ type: 'error', id: msg.id, message: (err as Error).message } satisfies FromWorker);
  }
}

function flatten(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((r, i) => out.set(r, i * r.length));
  return out;
}
