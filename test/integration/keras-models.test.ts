/** A Keras model in the app: imported (path), listed, scores, exports to builtin-ops TFLite; a bad file adds nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { initTfNode } from '../../src-main/models/tf-node';
import { readTflite } from '../../src-shared/tflite/reader';
import { KERAS_DIR } from '../keras/fixtures';
import { loadModelFile } from '../../src-main/models/model-registry';
import { clipModelOf } from '../../src-main/models/scoring';
import { scoreClip } from '../../src-shared/scoring/pipeline';
import { exportCommand } from '../../src-main/cli/commands';

const tmp = mkdtempSync(join(tmpdir(), 'fs-keras-'));
let s: Services;

beforeAll(async () => {
  await initTfNode();
  s = new Services({ home: join(tmp, 'home'), mode: 'browser', version: 'test' });
});
afterAll(() => {
  s?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const frames = () =>
  Array.from({ length: 24 }, (_, t) =>
    Array.from({ length: 132 }, (_, i) => (i % 4 === 3 ? 0.9 : 0.3 + 0.01 * ((i + t) % 20))),
  );

describe.skipIf(!KERAS_DIR)('Keras models in the app', () => {
  it('standard.keras: imported, listed, scores, exports builtin-only with the toolkit labels', async () => {
    const info = await s.invoke('models.importKeras', {
      name: 'standard.keras',
      path: join(KERAS_DIR, 'standard.keras'),
    });
    expect(info.kind).toBe('keras');
    expect(info.format).toBe('fsmodel');
    expect(info.hasExerciseHead).toBe(true);
    expect((await s.invoke('models.list', {})).map((m) => m.id)).toContain(info.id);
    const r = await s.invoke('models.predict', { modelId: info.id, frames: frames() });
    expect(r.score).toBeGreaterThan(0);
    expect(r.exercise).not.toBeNull();
    const ex = await s.invoke('models.export', { modelId: info.id, weights: 'float32', optimize: true, test: true });
    expect(ex.check?.builtinOnly).toBe(true);
    expect(ex.check!.maxAbsScoreDiff).toBeLessThan(0.01);
    const meta = readTflite(readFileSync(ex.path)).metadata.find((m) => m.name === 'form_studio');
    expect(meta).toBeTruthy();
  }, 120_000);

  it('a linear score head takes the chosen scale', async () => {
    const info = await s.invoke('models.importKeras', {
      name: 'single.keras',
      path: join(KERAS_DIR, 'standard_single.keras'),
      scoreScale: 50,
    });
    expect(info.hasExerciseHead).toBe(false);
    expect(info.metrics.scoreScale).toBe(50);
  }, 60_000);

  it('--model F.keras / F.h5 (CLI): converted in memory, scores; export imports it first and writes builtin-ops TFLite', async () => {
    const h5 = await loadModelFile(join(KERAS_DIR, 'standard.h5'));
    expect(h5.format).toBe('fsmodel');
    const r = await scoreClip(clipModelOf(h5), frames());
    expect(r.exercise).not.toBeNull();
    if (h5.format === 'fsmodel') h5.model.dispose();
    await expect(loadModelFile(join(tmp, 'missing.h5'))).rejects.toThrow(/not found/);
    const out = join(tmp, 'from-keras.tflite');
    const code = await exportCommand(s, {
      model: join(KERAS_DIR, 'standard_single.keras'),
      output: out,
      optimize: true,
      quantize: false,
      float16: false,
      test: false,
    });
    expect(code).toBe(0);
    const ops = readTflite(readFileSync(out)).operatorCodes.map((c) => c.opName);
    expect(ops).not.toContain('CUSTOM');
  }, 120_000);

  it('a truncated file is refused with its name and nothing is added', async () => {
    const before = (await s.invoke('models.list', {})).length;
    const dir = join(s.paths.models, 'imported');
    const filesBefore = existsSync(dir) ? readdirSync(dir).length : 0;
    const bad = join(tmp, 'half.keras');
    writeFileSync(bad, readFileSync(join(KERAS_DIR, 'standard.keras')).subarray(0, 100_000));
    const res = await s.call('models.importKeras', { name: 'half.keras', path: bad });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.message).toMatch(/half\.keras is not a readable \.keras archive/);
    expect((await s.invoke('models.list', {})).length).toBe(before);
    expect(existsSync(dir) ? readdirSync(dir).length : 0).toBe(filesBefore);
  });
});
