import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { FIXTURES_DIR } from '../support/fixtures';
import { initTfNode } from '../../src-main/models/tf-node';
import { ScoringModel, standardModel } from '../../src-shared/model';
import { readTflite } from '../../src-shared/tflite/reader';

const FIXTURES = FIXTURES_DIR;
const tmp = mkdtempSync(join(tmpdir(), 'fs-models-'));
let s: Services;
let modelId: number;

/** Real landmarks (the fixture's reference, pixel coords of 720×1280 frames) → 24 frames of 132 values. */
function fixtureFrames(offset = 0): Array<number[] | null> {
  const ref = JSON.parse(
    readFileSync(join(FIXTURES, 'pose-reference', 'pose_squats.full.json'), 'utf8'),
  ) as number[][][];
  return Array.from({ length: 24 }, (_, i) => {
    const f = ref[(i * 2 + offset) % ref.length];
    return f.flatMap(([x, y, z]) => [x / 720, y / 1280, z / 720, 0.99]);
  });
}

/** A fresh standard model (24 frames, exercise head) saved in the home and registered; returns its id. */
function addStandardModel(name: string, seed: number, trainedExercises?: string[]): number {
  const model = ScoringModel.create(standardModel(24), seed);
  const file = join(s.paths.models, `${name.replace(/\W+/g, '-')}.fsmodel`);
  writeFileSync(file, model.save(trainedExercises ? { trainedExercises } : undefined));
  model.dispose();
  const metrics = { numFrames: 24, hasExerciseHead: true };
  return s.models.insert({
    runId: null,
    name: `standard · ${name}`,
    kind: 'standard',
    role: 'best',
    filePath: file,
    sizeBytes: 1,
    valMae: 5,
    metrics,
  }).id;
}

beforeAll(async () => {
  await initTfNode();
  s = new Services({ home: join(tmp, 'home'), mode: 'browser', version: 'test' });
  modelId = addStandardModel('test', 7);
});
afterAll(() => {
  s?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('models: score, export, check, import', () => {
  it('scores real keypoints with the latest model; no pose is a clear error', async () => {
    const r = await s.invoke('models.predict', { frames: fixtureFrames(), aspectRatio: 720 / 1280 });
    expect(r.modelId).toBe(modelId);
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(100);
    expect(r.exercise).not.toBeNull();
    expect(r.confidence).toBeGreaterThan(0);
    const none = await s.call('models.predict', { frames: new Array(24).fill(null) });
    expect(!none.ok && none.error.message).toContain('No pose detected');
  });

  it('exports float32 / float16 / int8 TFLite with builtin ops only, checked against the tfjs model', async () => {
    const f32 = await s.invoke('models.export', { modelId, weights: 'float32', optimize: true, test: true });
    expect(f32.check?.builtinOnly).toBe(true);
    expect(f32.check?.maxAbsScoreDiff).toBeLessThan(0.01); // 1e-4 on the 0–1 scale
    expect(f32.check?.exerciseAgreement).toBe(1);
    const ops = readTflite(readFileSync(f32.path)).operatorCodes.map((c) => c.opName);
    expect(ops).not.toContain('CUSTOM');
    const f16 = await s.invoke('models.export', { modelId, weights: 'float16', optimize: true, test: true });
    expect(f16.check!.maxAbsScoreDiff).toBeLessThan(1e-2 * 100);
    const i8 = await s.invoke('models.export', { modelId, weights: 'int8', optimize: true, test: true });
    expect(i8.check!.maxAbsScoreDiff).toBeLessThan(1);
    expect(i8.sizeBytes).toBeLessThan(0.3 * f32.sizeBytes);
    expect(s.media(f32.url.slice('/media/'.length), null).status).toBe(200);
  });

  it('imports a .tflite and scores with it; a wrong file gets a clear message', async () => {
    const f32 = await s.invoke('models.export', { modelId, weights: 'float32', optimize: true, test: false });
    const imported = await s.invoke('models.importTflite', { name: 'from file', path: f32.path });
    expect(imported.format).toBe('tflite');
    const a = await s.invoke('models.predict', { modelId, frames: fixtureFrames(3), aspectRatio: 0.5625 });
    const b = await s.invoke('models.predict', { modelId: imported.id, frames: fixtureFrames(3), aspectRatio: 0.5625 });
    expect(Math.abs(a.score - b.score)).toBeLessThan(0.01);
    expect(b.exercise).toBe(a.exercise);
    mkdirSync(join(tmp, 'junk'), { recursive: true });
    writeFileSync(join(tmp, 'junk', 'bad.tflite'), 'not a model at all');
    const bad = await s.call('models.importTflite', { name: 'bad', path: join(tmp, 'junk', 'bad.tflite') });
    expect(!bad.ok && bad.error.message).toContain('not a TFLite model');
    expect((await s.invoke('models.list', {})).map((m) => m.name)).toContain('from file');
  });
});

describe('TFLite: the exercise head masked to the trained classes', () => {
  it('export carries trainedExercises; the imported file applies the same mask as the app model', async () => {
    const trained = ['squat', 'pushup'];
    const masked = addStandardModel('two classes', 5, trained);
    const out = await s.invoke('models.export', { modelId: masked, weights: 'float32', optimize: true, test: false });
    const meta = JSON.parse(
      new TextDecoder().decode(readTflite(readFileSync(out.path)).metadata.find((m) => m.name === 'form_studio')!.data),
    ) as { trainedExercises: string[]; preprocessing: { output: { exercise: { trainedClasses: string[] } } } };
    expect(meta.trainedExercises).toEqual(trained);
    expect(meta.preprocessing.output.exercise.trainedClasses).toEqual(trained);
    const lite = await s.invoke('models.importTflite', { name: 'two classes.tflite', path: out.path });
    expect(lite.metrics.trainedExercises).toEqual(trained);
    expect(lite.metrics.exerciseMask).toContain('squat, pushup');
    for (const offset of [0, 7, 19]) {
      const a = await s.invoke('models.predict', {
        modelId: masked,
        frames: fixtureFrames(offset),
        aspectRatio: 0.5625,
      });
      const b = await s.invoke('models.predict', {
        modelId: lite.id,
        frames: fixtureFrames(offset),
        aspectRatio: 0.5625,
      });
      expect(trained).toContain(a.exercise);
      expect(b.exercise).toBe(a.exercise);
      expect(Math.abs(b.confidence! - a.confidence!)).toBeLessThan(1e-4);
      expect(Math.abs(b.score - a.score)).toBeLessThan(0.01);
    }
  });

  it('a TFLite without trainedExercises is not masked, and its info says so', async () => {
    const out = await s.invoke('models.export', { modelId, weights: 'float32', optimize: true, test: false });
    const lite = await s.invoke('models.importTflite', { name: 'no list.tflite', path: out.path });
    expect(lite.metrics.trainedExercises).toBeNull();
    expect(lite.metrics.exerciseMask).toMatch(/not limited.*any of its 14 classes/);
    const a = await s.invoke('models.predict', { modelId, frames: fixtureFrames(2), aspectRatio: 0.5625 });
    const b = await s.invoke('models.predict', { modelId: lite.id, frames: fixtureFrames(2), aspectRatio: 0.5625 });
    expect(b.exercise).toBe(a.exercise);
    expect(Math.abs(b.confidence! - a.confidence!)).toBeLessThan(1e-4);
  });
});
