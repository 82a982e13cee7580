import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Services } from '../../src-main/services';
import { initTfNode } from '../../src-main/models/tf-node';
import { exportDataset } from '../../src-main/scale/dataset-export';
import { ScoringModel, highAccuracyModel, trainModel } from '../../src-shared/model';
import { toTrainingSamples } from '../../src-shared/training/samples';
import { seedTrainingHome } from '../training/seed';
import { oneRayClusterAtATime, pythonVenv } from './python-venv';

// The Python side of export-dataset (needs the venv of scripts/python-venv.sh: tensorflow-cpu, keras, ray,
// pyarrow). The generated train_keras.py must build the app's architecture (app weights → the app's
// predictions within 1e-4), train under Ray Train with 2 workers, and its model.keras must import back and score.
const venv = pythonVenv();
if (!venv.python) console.warn(`[skipped] Python/Keras/Ray tests: ${venv.why}`);
const root = mkdtempSync(join(tmpdir(), 'fs-keras-py-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const py = (args: string[], timeout = 600_000) => {
  const r = spawnSync(venv.python!, args, {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', CUDA_VISIBLE_DEVICES: '', RAY_DEDUP_LOGS: '0' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

async function insertModel(s: Services, model: ScoringModel, name: string, kind: string): Promise<number> {
  const file = join(s.paths.models, `${name}.fsmodel`);
  const bytes = model.save();
  writeFileSync(file, bytes);
  return s.models.insert({
    runId: null,
    name,
    kind,
    role: 'best',
    filePath: file,
    sizeBytes: bytes.length,
    valMae: null,
    metrics: { numFrames: 24, hasExerciseHead: true },
  }).id;
}

describe.skipIf(!venv.python)('export-dataset → train_keras.py (Keras under Ray Train) → .keras import', () => {
  let standardId = 0;
  let highId = 0;
  beforeAll(async () => {
    await initTfNode();
    seedTrainingHome(home, 16);
    const s = new Services({ home, mode: 'browser' });
    try {
      // An app-trained standard model (2 epochs: the weights are real training output, not an initialisation).
      const data = await s.invoke('training.data', { numFrames: 24 });
      const samples = toTrainingSamples(data.items, 24);
      const { standardModel } = await import('../../src-shared/model');
      const r = await trainModel(standardModel(24), samples, { epochs: 2, batchSize: 8 });
      const trained = ScoringModel.fromSaved(r.best);
      standardId = await insertModel(s, trained, 'app-standard', 'standard');
      trained.dispose();
      // High-accuracy (attention, batch norm): an initialised model with non-trivial batch-norm statistics.
      const ha = ScoringModel.create(highAccuracyModel(24), 5);
      const saved = ha.toSaved();
      for (const [k, v] of Object.entries(saved.params)) {
        if (k.endsWith('/moving_mean')) v.forEach((_, i) => (v[i] = 0.05 * Math.sin(i)));
        if (k.endsWith('/moving_variance')) v.forEach((_, i) => (v[i] = 1 + 0.3 * Math.cos(i)));
      }
      ha.dispose();
      const ha2 = ScoringModel.fromSaved(saved);
      highId = await insertModel(s, ha2, 'app-high', 'high-accuracy');
      ha2.dispose();
    } finally {
      s.close();
    }
  }, 600_000);

  it('app weights loaded into the generated Keras model give the app predictions within 1e-4 (standard and high-accuracy)', async () => {
    for (const [id, kind] of [
      [standardId, 'standard'],
      [highId, 'high-accuracy'],
    ] as const) {
      const out = join(root, `ds-${kind}`);
      const s = new Services({ home, mode: 'browser' });
      try {
        const r = await exportDataset(s, { out, model: String(id) });
        expect(r.spec.kind).toBe(kind);
        expect(r.rows).toBeGreaterThanOrEqual(10);
      } finally {
        s.close();
      }
      const check = py([resolve('test/scale/py/keras_equivalence.py'), out]);
      expect(check.code, check.err.slice(-3000)).toBe(0);
      const res = JSON.parse(check.out.trim().split('\n').pop()!) as {
        rows: number;
        maxScoreDiff01: number;
        maxScoreDiffPoints: number;
        maxProbDiff?: number;
        params: number;
      };
      console.log(
        `[keras ${kind}] ${res.rows} rows, ${res.params} params: max |score diff| ${res.maxScoreDiff01.toExponential(2)} (0–1), ${res.maxScoreDiffPoints.toExponential(2)} points; max |prob diff| ${res.maxProbDiff?.toExponential(2)}`,
      );
      expect(res.maxScoreDiff01).toBeLessThan(1e-4);
      expect(res.maxProbDiff!).toBeLessThan(1e-4);
    }
  }, 900_000);

  it('trains with 2 Ray Train workers (MultiWorkerMirroredStrategy) a few epochs; model.keras imports back and scores', async () => {
    const ds = join(root, 'ds-train');
    const s = new Services({ home, mode: 'browser' });
    let testRows = 0;
    try {
      testRows = (await exportDataset(s, { out: ds, kind: 'standard' })).test;
    } finally {
      s.close();
    }
    const run = join(ds, 'run');
    let t0 = 0;
    const r = await oneRayClusterAtATime(() => {
      t0 = Date.now();
      return py(
        [
          join(ds, 'train_keras.py'),
          '--out',
          run,
          '--epochs',
          '3',
          '--batch-size',
          '4',
          '--num-workers',
          '2',
          '--cpus-per-worker',
          '1',
        ],
        900_000,
      );
    });
    expect(r.code, (r.out + r.err).slice(-4000)).toBe(0);
    const summary = JSON.parse(
      r.out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"model"'))
        .pop()!,
    ) as {
      seconds: number;
      workers: number;
      epochs: number;
      test: { test_rows: number; test_mae: number; test_exercise_accuracy: number } | null;
    };
    console.log(
      `[ray train] 2 workers × 3 epochs in ${summary.seconds} s (process ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as Array<{
      loss: number;
      mae: number;
      replicas: number;
      seconds: number;
    }>;
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history.every((h) => Number.isFinite(h.loss) && Number.isFinite(h.mae))).toBe(true);
    expect(history[0].replicas).toBe(2); // MultiWorkerMirroredStrategy over the 2 Ray Train workers
    // The held-out test rows were scored at the end (and only then), by the best weights.
    expect(testRows).toBeGreaterThan(0);
    expect(summary.test?.test_rows).toBe(testRows);
    expect(summary.test!.test_mae).toBeGreaterThanOrEqual(0);
    expect(summary.test!.test_mae).toBeLessThan(100);
    expect(summary.test!.test_exercise_accuracy).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(run, 'test_metrics.json'), 'utf8'))).toEqual(summary.test);
    expect(existsSync(join(run, 'model.keras'))).toBe(true);
    // Back into the app through the existing .keras import; then it scores the exported rows.
    const s2 = new Services({ home, mode: 'browser' });
    try {
      const info = await s2.invoke('models.importKeras', { name: 'ray-keras', path: join(run, 'model.keras') });
      const loaded = await s2.models.load(info.id);
      if (loaded.format !== 'fsmodel') throw new Error('expected an app model');
      const data = await s2.invoke('training.data', { numFrames: 24 });
      const pred = loaded.model.predict(toTrainingSamples(data.items, 24).map((x) => x.x));
      expect(pred.scores.length).toBe(data.items.length);
      expect(Math.min(...pred.scores)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...pred.scores)).toBeLessThanOrEqual(100);
      expect(pred.exerciseProbs?.[0].length).toBe(14);
    } finally {
      s2.close();
    }
    // And the CLI's export takes it to TFLite (toolkit interop path).
    const tfl = join(root, 'ray.tflite');
    execFileSync(
      process.execPath,
      ['bin/form-studio.js', 'export', '--model', join(run, 'model.keras'), '--output', tfl, '--home', home],
      { encoding: 'utf8', timeout: 600_000 },
    );
    expect(existsSync(tfl)).toBe(true);
  }, 2_100_000); // may first wait for the Ray shard test's cluster
});
