import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Services } from '../../src-main/services';
import { initTfNode } from '../../src-main/models/tf-node';
import { exportDataset } from '../../src-main/scale/dataset-export';
import { ScoringModel, highAccuracyModel, trainModel } from '../../src-shared/model';
import { toTrainingSamples } from '../../src-shared/training/samples';
import { seedTrainingHome } from '../training/seed';
import { pythonVenv, runPython } from './python-venv';

// The Python side of export-dataset (needs the venv of scripts/python-venv.sh: tensorflow-cpu, keras, ray,
// pyarrow). The generated train_keras.py must build the app's architecture (app weights → the app's
// predictions within 1e-4). Its training under Ray Train, and the import of its model.keras: test/scale/ray.test.ts.
const venv = pythonVenv();
if (!venv.python) console.warn(`[skipped] Python/Keras/Ray tests: ${venv.why}`);
const root = mkdtempSync(join(tmpdir(), 'fs-keras-py-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const py = (args: string[], timeout?: number) => runPython(venv.python!, args, timeout);

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

describe.skipIf(!venv.python)('export-dataset → train_keras.py builds the app architecture', () => {
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
    const kinds = [
      [standardId, 'standard'],
      [highId, 'high-accuracy'],
    ] as const;
    const dirs: string[] = [];
    for (const [id, kind] of kinds) {
      const out = join(root, `ds-${kind}`);
      const s = new Services({ home, mode: 'browser' });
      try {
        const r = await exportDataset(s, { out, model: String(id) });
        expect(r.spec.kind).toBe(kind);
        expect(r.rows).toBeGreaterThanOrEqual(10);
      } finally {
        s.close();
      }
      dirs.push(out);
    }
    // Both folders in one Python process: each loads its own train_keras.py; TensorFlow is imported once.
    const check = py([resolve('test/scale/py/keras_equivalence.py'), ...dirs]);
    expect(check.code, check.err.slice(-3000)).toBe(0);
    const results = check.out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            dir: string;
            rows: number;
            maxScoreDiff01: number;
            maxScoreDiffPoints: number;
            maxProbDiff?: number;
            params: number;
          },
      );
    expect(results.map((r) => r.dir)).toEqual(dirs);
    for (const [i, res] of results.entries()) {
      const kind = kinds[i][1];
      console.log(
        `[keras ${kind}] ${res.rows} rows, ${res.params} params: max |score diff| ${res.maxScoreDiff01.toExponential(2)} (0–1), ${res.maxScoreDiffPoints.toExponential(2)} points; max |prob diff| ${res.maxProbDiff?.toExponential(2)}`,
      );
      expect(res.maxScoreDiff01).toBeLessThan(1e-4);
      expect(res.maxProbDiff!).toBeLessThan(1e-4);
    }
  }, 900_000);
});
