import { ScoringModel, standardModel } from '../../src-shared/model';
import { initTfNode } from '../../src-main/models/tf-node';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { ApiError } from '../../src-shared/api/errors';
import {
  CHECKPOINT_PART_BYTES,
  TRAINING_DEFAULTS,
  type TrainingSettings,
} from '../../src-shared/api/training-contract';
import { groupKeyOf, toTrainingSamples, trainingDataProblem } from '../../src-shared/training/samples';
import { seedTrainingHome } from './seed';

let home: string;
let s: Services;
const settings = (over: Partial<TrainingSettings> = {}): TrainingSettings => ({
  ...TRAINING_DEFAULTS,
  modelKind: 'standard',
  variant: 'full',
  exerciseHead: true,
  source: 'cli',
  ...over,
});
const epoch = (n: number, valMae: number, improved: boolean) => ({
  epoch: n,
  loss: 0.1,
  mae: 10,
  rmse: 12,
  lr: 1e-4,
  valLoss: 0.2,
  valMae,
  valRmse: valMae + 2,
  samplesPerSec: 20,
  seconds: 1,
  improved,
});
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'fs-train-'));
});
afterEach(() => {
  s?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('training.data', () => {
  it('returns labeled train videos with keypoints, groups, counts and exclusion reasons', async () => {
    const seeded = seedTrainingHome(home, 12);
    s = new Services({ home, mode: 'browser' });
    const d = await s.invoke('training.data', { withOthers: true });
    expect(d.items.length).toBe(seeded.labeledTrain);
    expect(d.counts).toMatchObject({ usable: seeded.labeledTrain, unlabeled: 1, noPose: 1, noKeypoints: 0 });
    expect(d.excluded.map((e) => e.reason).sort()).toEqual(['no pose', 'unlabeled']);
    expect(d.exerciseTypes).toEqual(['squat', 'lunge']);
    expect(d.others.length).toBe(seeded.test + 1); // test clips + the unlabeled one
    expect(d.items[0].group).toMatch(/^exercises_train\/(squat|lunge)\/athlete\d\d_(squat|lunge)$/);
    expect(d.items[0].aspectRatio).toBeCloseTo(720 / 1280);
    const samples = toTrainingSamples(d.items, 24);
    expect(samples[0].x.length).toBe(24 * 132);
    expect(samples.every((x) => x.x.every(Number.isFinite))).toBe(true);
    expect(trainingDataProblem(d)).toBeNull();
    // Another frame count has no keypoints: the reason says so.
    const d16 = await s.invoke('training.data', { numFrames: 16 });
    expect(d16.items.length).toBe(0);
    expect(d16.counts.noKeypoints).toBeGreaterThan(0);
    expect(trainingDataProblem(d16)).toMatch(/at least 2 labeled videos.*without keypoints for 16 frames/);
  });

  it('says "No training data found" on an empty project', async () => {
    s = new Services({ home, mode: 'browser' });
    const d = await s.invoke('training.data', {});
    expect(trainingDataProblem(d)).toMatch(/^No training data found/);
  });

  it('group keys: column, else folder + stem without clip numbers', () => {
    expect(groupKeyOf('a/b.mp4', 'person7')).toBe('person7');
    expect(groupKeyOf('squat/v_BodyWeightSquats_g03_c02.avi', null)).toBe('squat/v_BodyWeightSquats_g03');
    expect(groupKeyOf('squat/anna_clip3.mp4', null)).toBe('squat/anna');
    expect(groupKeyOf('x.mp4', null)).toBe('x');
  });
});

describe('runs', () => {
  it('create → epochs → checkpoint in parts → resume info → read back → finish → list/get', async () => {
    s = new Services({ home, mode: 'browser' });
    const { runId } = await s.invoke('runs.create', {
      settings: settings(),
      backend: 'wasm',
      dataSummary: { train: 10, val: 3 },
    });
    await s.invoke('runs.epoch', { runId, metrics: epoch(1, 20, true) });
    await s.invoke('runs.epoch', { runId, metrics: epoch(2, 18, true) });
    await s.invoke('runs.epoch', { runId, metrics: epoch(3, 19, false) });
    // A checkpoint larger than one part.
    const ckpt = new Uint8Array(CHECKPOINT_PART_BYTES + 1000).map((_, i) => i % 251);
    const p0 = ckpt.subarray(0, CHECKPOINT_PART_BYTES);
    const p1 = ckpt.subarray(CHECKPOINT_PART_BYTES);
    // Out of order is refused.
    await expect(
      s.invoke('runs.checkpoint', { runId, epoch: 3, part: 1, parts: 2, bytesBase64: b64(p1) }),
    ).rejects.toThrow(/out of order/);
    expect(
      (await s.invoke('runs.checkpoint', { runId, epoch: 3, part: 0, parts: 2, bytesBase64: b64(p0) })).complete,
    ).toBe(false);
    expect(await s.invoke('runs.resumeInfo', {})).toBeNull(); // not complete yet
    expect(
      (await s.invoke('runs.checkpoint', { runId, epoch: 3, part: 1, parts: 2, bytesBase64: b64(p1) })).complete,
    ).toBe(true);
    const file = join(home, 'models', 'checkpoints', `${runId}.ckpt`);
    expect(statSync(file).size).toBe(ckpt.length);
    const info = (await s.invoke('runs.resumeInfo', {}))!;
    expect(info.run.id).toBe(runId);
    expect(info.epoch).toBe(3);
    expect(info.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(info.run.bestEpoch).toBe(2);
    expect(info.run.bestValMae).toBe(18);
    let offset = 0;
    const chunks: Buffer[] = [];
    for (;;) {
      const r = await s.invoke('runs.readCheckpoint', { runId, offset });
      const b = Buffer.from(r.bytesBase64, 'base64');
      chunks.push(b);
      offset += b.length;
      if (r.done) break;
    }
    expect(Buffer.concat(chunks).equals(Buffer.from(ckpt))).toBe(true);

    // A resumed epoch 3 replaces the old epoch 3 and anything after it.
    await s.invoke('runs.epoch', { runId, metrics: epoch(4, 17, true) });
    await s.invoke('runs.epoch', { runId, metrics: epoch(3, 16, true) });
    expect((await s.invoke('runs.get', { runId })).metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);

    // Stopped: keeps the checkpoint and can be reopened.
    const stopped = await s.invoke('runs.finish', {
      runId,
      status: 'cancelled',
      message: 'stopped',
      bestEpoch: 3,
      bestValMae: 16,
    });
    expect(stopped.resumable).toBe(true);
    await expect(s.invoke('runs.epoch', { runId, metrics: epoch(4, 15, true) })).rejects.toThrow(/has finished/);
    const reopened = await s.invoke('runs.reopen', { runId, backend: 'cpu' });
    expect(reopened.status).toBe('running');
    expect(reopened.backend).toBe('cpu');
    const done = await s.invoke('runs.finish', {
      runId,
      status: 'early-stopped',
      message: 'no improvement',
      bestEpoch: 3,
      bestValMae: 16,
      evaluation: {
        n: 1,
        mae: 3,
        rmse: 3,
        spearman: null,
        perExercise: [{ exercise: 'squat', mae: 3, count: 1 }],
        exerciseAccuracy: 1,
        confusionLabels: ['squat'],
        confusion: [[1]],
        points: [{ videoId: 1, label: 50, predicted: 53 }],
      },
    });
    expect(done.status).toBe('early-stopped');
    expect(done.resumable).toBe(false);
    expect(existsSync(file)).toBe(false);
    const list = await s.invoke('runs.list', {});
    expect(list[0]).toMatchObject({
      id: runId,
      status: 'early-stopped',
      bestValMae: 16,
      epochs: 3,
      dataSummary: { train: 10, val: 3 },
    });
    expect(list[0].settings.modelKind).toBe('standard');
    expect((await s.invoke('runs.get', { runId })).evaluation?.points[0].predicted).toBe(53);
  });

  it('validates input: non-finite metrics, bad settings, bad base64, unknown run', async () => {
    s = new Services({ home, mode: 'browser' });
    const bad = await s.call('runs.epoch', { runId: 1, metrics: { ...epoch(1, 1, true), loss: Number.NaN } });
    expect(bad.ok).toBe(false);
    const r2 = await s.call('runs.create', {
      settings: settings({ batchSize: 0 }),
      backend: 'wasm',
      dataSummary: { train: 1, val: 0 },
    });
    expect(!r2.ok && r2.error.code).toBe('bad_input');
    const r3 = await s.call('runs.create', {
      settings: settings({ valFraction: 0.9 }),
      backend: 'wasm',
      dataSummary: { train: 1, val: 0 },
    });
    expect(!r3.ok && r3.error.message).toMatch(/Validation share/);
    const r4 = await s.call('runs.saveModel', {
      runId: 1,
      role: 'best',
      bytesBase64: 'not base64!',
      valMae: 1,
      metrics: {},
    });
    expect(!r4.ok && r4.error.code).toBe('bad_input');
    await expect(s.invoke('runs.get', { runId: 99 })).rejects.toSatisfy((e: ApiError) => e.code === 'not_found');
  });

  it('saveModel writes home/models/<id>.fsmodel, lists it, replaces the earlier best; predictions fill the grid', async () => {
    const seeded = seedTrainingHome(home, 6);
    s = new Services({ home, mode: 'browser' });
    const { runId } = await s.invoke('runs.create', {
      settings: settings(),
      backend: 'wasm',
      dataSummary: { train: 4, val: 1 },
    });
    const fake = new Uint8Array(64);
    fake.set(Buffer.from('FSMODEL1'));
    const refused = await s.call('runs.saveModel', {
      runId,
      role: 'best',
      bytesBase64: b64(fake),
      valMae: 12.5,
      metrics: {},
    });
    expect(!refused.ok && refused.error.message).toContain('Unreadable model file');
    await initTfNode();
    const model = ScoringModel.create(standardModel(24), 1);
    const bytes = model.save();
    model.dispose();
    const m1 = await s.invoke('runs.saveModel', {
      runId,
      role: 'best',
      bytesBase64: b64(bytes),
      valMae: 12.5,
      metrics: { epoch: 3 },
    });
    expect((await s.invoke('models.list', {})).find((m) => m.id === m1.modelId)).toMatchObject({
      numFrames: 24,
      hasExerciseHead: true,
    });
    expect(m1.name).toBe(`run ${runId} · standard · val MAE 12.5`);
    // What it was trained on is stored with it: the run's split and the labeled clips per exercise.
    expect((await s.invoke('models.list', {})).find((m) => m.id === m1.modelId)!.metrics.data).toMatchObject({
      train: 4,
      val: 1,
      perExercise: { squat: expect.any(Number), lunge: expect.any(Number) },
    });
    const renamed = await s.invoke('models.rename', { modelId: m1.modelId, name: '  squat scorer v1 ' });
    expect(renamed.name).toBe('squat scorer v1');
    expect(m1.path).toBe(join(home, 'models', `${m1.modelId}.fsmodel`));
    expect(readFileSync(m1.path).subarray(0, 8).toString()).toBe('FSMODEL1');
    const m2 = await s.invoke('runs.saveModel', {
      runId,
      role: 'best',
      bytesBase64: b64(bytes),
      valMae: 11,
      metrics: {},
    });
    expect(existsSync(m1.path)).toBe(false);
    const run = (await s.invoke('runs.list', {}))[0];
    expect(run.models).toEqual([{ id: m2.modelId, role: 'best', name: m2.name, valMae: 11 }]);
    expect((await s.invoke('project.get', {})).counts.models).toBe(1);
    await expect(
      s.invoke('runs.saveModel', {
        runId,
        role: 'final',
        bytesBase64: b64(new Uint8Array(64)),
        valMae: null,
        metrics: {},
      }),
    ).rejects.toThrow(/FSMODEL1/);

    const vid = seeded.videoIds[0];
    const r = await s.invoke('predictions.save', {
      modelId: m2.modelId,
      items: [{ videoId: vid, score: 71.5, exerciseType: 'squat', confidence: 0.9 }],
    });
    expect(r.saved).toBe(1);
    const row = (await s.invoke('videos.list', {})).find((v) => v.id === vid)!;
    expect(row.prediction).toEqual({ modelId: m2.modelId, score: 71.5, exerciseType: 'squat', confidence: 0.9 });
    const bad = await s.call('predictions.save', {
      modelId: m2.modelId,
      items: [{ videoId: vid, score: 120, exerciseType: null, confidence: null }],
    });
    expect(bad.ok).toBe(false);
    await expect(
      s.invoke('predictions.save', {
        modelId: m2.modelId,
        items: [{ videoId: 99999, score: 1, exerciseType: null, confidence: null }],
      }),
    ).rejects.toThrow(/not in this project/);
  });
});
