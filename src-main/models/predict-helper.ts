/**
 * Model inference on both cores: the batches of one prediction are shared between this thread and a helper
 * worker thread (predict-worker.ts) holding a copy of the model. Each side takes the next batch when it is free,
 * so a slow or late worker (start-up ≈1 s, a loaded machine) only takes fewer batches. Without a worker (one
 * core, no worker file in this build, the worker failed) everything runs here, as before.
 * tfjs-backend-wasm has no threads in Node, so a second thread is the only way to the second core.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScoringModel, Prediction } from '../../src-shared/model/model';
import { lstmInferenceFastPath } from '../../src-shared/model/lstm-infer';
import type { FromWorker, ToWorker } from './predict-worker';

/** The LSTM inference fast path was fastest at batch 64 (16: +25 % CPU, 256: +10–40 %). */
export const PREDICT_BATCH = 64;
/** A worker unused this long is ended (its WASM heap is freed). */
const IDLE_MS = 60_000;

let enabled = true;
/** Batches run on each side since the start (benchmarks report the share the worker took). */
export const predictBatches = { here: 0, worker: 0 };

/** Resolves when the helper worker can take batches (false: none here); tests wait for it. */
export function predictWorkerReady(): Promise<boolean> {
  return getHelper()?.isReady() ?? Promise.resolve(false);
}

/** Switch the helper worker off/on (benchmarks compare; tests of the in-process path). */
export function setPredictWorker(on: boolean): void {
  enabled = on; // an idle worker stays until its idle timeout
  unavailable = false;
}

/** The worker next to this module: .ts under tsx (development, tests), the bundle's .cjs/.mjs when built. */
function workerSource(): { code: string; eval: boolean } | null {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    // Node 20 workers do not inherit tsx's loader hooks: register them in the worker, then load the .ts file.
    const file = join(dir, 'predict-worker.ts');
    const tsx = tsxApi();
    if (!existsSync(file) || !tsx) return null;
    const url = pathToFileURL(file).href;
    return {
      code: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`,
      eval: true,
    };
  }
  // Electron main: dist/main/electron.cjs; CLI: dist/cli/form-studio.mjs or one of its chunks in dist/cli/chunks.
  for (const f of ['predict-worker.cjs', 'predict-worker.mjs', '../predict-worker.mjs'])
    if (existsSync(join(dir, f))) return { code: join(dir, f), eval: false };
  return null;
}

/** tsx's ESM register API (a dev dependency: absent in a packaged app). */
function tsxApi(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const api = join(dir, 'dist/esm/api/index.mjs');
    return existsSync(api) ? pathToFileURL(api).href : null;
  } catch {
    return null;
  }
}

type Pending = { resolve: (p: Prediction) => void; reject: (e: Error) => void; n: number; k: number };

class Helper {
  private worker: Worker;
  private ready: Promise<boolean>;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private loadedKey = 0;
  private idle: NodeJS.Timeout | undefined;
  broken = false;

  constructor(src: { code: string; eval: boolean }) {
    this.worker = new Worker(src.code, { eval: src.eval });
    this.worker.unref(); // never keeps the CLI alive
    this.ready = new Promise((resolve) => {
      this.worker.once('message', (m: FromWorker) => resolve(m.type === 'ready'));
      this.worker.once('error', () => resolve(false));
      this.worker.once('exit', () => resolve(false));
    });
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    const fail = (why: string) => {
      this.broken = true;
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(`inference worker failed: ${e.message}`));
    this.worker.on('exit', (code) => fail(`inference worker exited (${code})`));
  }

  /** True once the worker has its backend; false if it cannot start. */
  async isReady(): Promise<boolean> {
    return (await this.ready) && !this.broken;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'error') return p.reject(new Error(m.message));
    const exerciseProbs = m.probs
      ? Array.from({ length: p.n }, (_, i) => m.probs!.subarray(i * p.k, (i + 1) * p.k))
      : undefined;
    p.resolve(exerciseProbs ? { scores: m.scores, exerciseProbs } : { scores: m.scores });
  }

  predict(model: ScoringModel, key: number, x: Float32Array, n: number): Promise<Prediction> {
    this.touch();
    if (this.loadedKey !== key) {
      // The weights as plain arrays (structured clone); the worker builds its own tf.Variables.
      this.post({ type: 'load', key, saved: model.toSaved(model.metadata) });
      this.loadedKey = key;
    }
    const id = this.nextId++;
    const k = model.spec.heads.exercise?.numClasses ?? 0;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, n, k });
      this.post({ type: 'predict', id, key, x, batchSize: n, fastPath: lstmInferenceFastPath() }, [
        x.buffer as ArrayBuffer,
      ]);
    });
  }

  private post(m: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(m, transfer);
  }

  private touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
    this.idle.unref();
  }

  stop(): void {
    clearTimeout(this.idle);
    this.broken = true;
    void this.worker.terminate();
    if (helper === this) helper = null;
  }
}

let helper: Helper | null = null;
let unavailable = false;

function getHelper(): Helper | null {
  if (!enabled || unavailable || availableParallelism() < 2) return null;
  if (helper && !helper.broken) return helper;
  const src = workerSource();
  if (!src) {
    unavailable = true;
    return null;
  }
  try {
    helper = new Helper(src);
  } catch {
    unavailable = true;
    return null;
  }
  // A worker that cannot start (e.g. the file cannot load in this build) is not tried again.
  void helper.isReady().then((ok) => (unavailable ||= !ok));
  return helper;
}

const keys = new WeakMap<ScoringModel, number>();
let nextKey = 1;

/**
 * Predict every input with `model`, in batches of PREDICT_BATCH shared between this thread and the helper
 * worker. Same results as model.predict (same kernels, same batch size); yields between batches here.
 */
export async function predictParallel(model: ScoringModel, xs: Float32Array[]): Promise<Prediction> {
  const per = model.spec.numFrames * model.spec.numFeatures;
  const n = xs.length;
  const k = model.spec.heads.exercise?.numClasses ?? 0;
  const scores = new Float32Array(n);
  const probs: Float32Array[] = new Array<Float32Array>(k ? n : 0);
  const starts: number[] = [];
  for (let s = 0; s < n; s += PREDICT_BATCH) starts.push(s);
  let next = 0;
  const store = (s: number, p: Prediction) => {
    scores.set(p.scores, s);
    p.exerciseProbs?.forEach((row, i) => (probs[s + i] = row));
  };
  const pack = (s: number, b: number) => {
    const x = new Float32Array(b * per);
    for (let i = 0; i < b; i++) x.set(xs[s + i], i * per);
    return x;
  };
  const key = keys.get(model) ?? nextKey++;
  keys.set(model, key);

  const here = async () => {
    while (next < starts.length) {
      const s = starts[next++];
      store(s, model.predict(pack(s, Math.min(PREDICT_BATCH, n - s)), PREDICT_BATCH));
      predictBatches.here++;
      // Let other calls (the UI's) and the worker's replies through between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  };
  const h = n > PREDICT_BATCH ? getHelper() : null;
  const there = async () => {
    if (!h || !(await h.isReady())) return;
    while (next < starts.length) {
      const s = starts[next++];
      const b = Math.min(PREDICT_BATCH, n - s);
      try {
        store(s, await h.predict(model, key, pack(s, b), b));
        predictBatches.worker++;
      } catch {
        store(s, model.predict(pack(s, b), PREDICT_BATCH)); // the worker failed: this batch (and the rest) here
        return;
      }
    }
  };
  await Promise.all([here(), there()]);
  return k ? { scores, exerciseProbs: probs } : { scores };
}
