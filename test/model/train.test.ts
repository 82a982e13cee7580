import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { trainModel, splitByGroup, needsExerciseHead, type EpochMetrics } from '../../src-shared/model/train';
import { ScoringModel } from '../../src-shared/model/model';
import { unpackFile, packModel, unpackModel } from '../../src-shared/model/serialize';
import { standardModel } from '../../src-shared/model/architecture';
import { maxAbsDiff, syntheticSamples, tinySpec, useBackend } from './helpers';

const T = 8;

describe('trainer', () => {
  beforeAll(() => useBackend('wasm'));

  it('splits by group without straddling', () => {
    const groups = Array.from({ length: 50 }, (_, i) => `clip${Math.floor(i / 3)}`);
    const s = splitByGroup(groups, 0.2, 4);
    expect(s.train.length + s.val.length).toBe(50);
    const tg = new Set(s.train.map((i) => groups[i]));
    for (const i of s.val) expect(tg.has(groups[i])).toBe(false);
    expect(s.val.length).toBeGreaterThanOrEqual(9);
    expect(s.val.length).toBeLessThanOrEqual(16);
    expect(splitByGroup(['a', 'a', 'a'], 0.2).val).toEqual([]);
    expect(needsExerciseHead([{ exercise: 1 }, { exercise: 1 }])).toBe(false);
    expect(needsExerciseHead([{ exercise: 1 }, { exercise: 2 }])).toBe(true);
  });

  it('learns a synthetic task: loss falls, val MAE improves, best model kept, memory released', async () => {
    const before = tf.memory().numTensors;
    const samples = syntheticSamples(96, T);
    const epochs: EpochMetrics[] = [];
    let batches = 0;
    const res = await trainModel(tinySpec(T), samples, {
      epochs: 12,
      batchSize: 8,
      learningRate: 0.01,
      patience: 100,
      seed: 2,
      onBatchEnd: (m) => {
        batches++;
        expect(Number.isFinite(m.loss)).toBe(true);
        expect(m.samplesPerSec).toBeGreaterThan(0);
      },
      onEpochEnd: (m) => {
        epochs.push(m);
      },
    });
    expect(tf.memory().numTensors).toBe(before); // model, grads and optimizer slots all disposed
    expect(batches).toBeGreaterThan(0);
    expect(res.stopReason).toBe('completed');
    expect(epochs.length).toBe(12);
    const first = epochs[0],
      last = epochs[epochs.length - 1];
    expect(last.loss).toBeLessThan(first.loss * 0.7);
    const bestVal = Math.min(...epochs.map((e) => e.valMae!));
    expect(bestVal).toBeLessThan(first.valMae! * 0.8);
    expect(res.bestMae).toBeCloseTo(bestVal, 5);
    expect(epochs[res.bestEpoch - 1].valMae).toBeCloseTo(bestVal, 5);
    expect(first.valExerciseAcc).toBeDefined();
    // the returned best model reproduces the best validation MAE
    const m = ScoringModel.fromSaved(res.best);
    const val = res.split.val;
    const p = m.predict(val.map((i) => samples[i].x));
    const mae = val.reduce((s, i, k) => s + Math.abs(p.scores[k] - samples[i].score), 0) / val.length;
    expect(mae).toBeCloseTo(bestVal, 2);
    m.dispose();
  });

  it('early stopping and reduce-on-plateau', async () => {
    const samples = syntheticSamples(32, T);
    const lrs: number[] = [];
    // lr tiny → no real progress → plateau: lr halves every 2 epochs, stop after 4 epochs without improvement
    const res = await trainModel(tinySpec(T), samples, {
      epochs: 30,
      batchSize: 16,
      learningRate: 1e-9,
      patience: 4,
      lrPatience: 2,
      lrFactor: 0.5,
      minLr: 1e-12,
      minDelta: 1,
      seed: 1,
      onEpochEnd: (m) => {
        lrs.push(m.lr);
      },
    });
    expect(res.stopReason).toBe('early-stopped');
    expect(res.history.length).toBe(5); // epoch 1 sets the best, then 4 epochs without improvement
    expect(res.bestEpoch).toBe(1);
    // metrics report the lr used during the epoch; the reduction happens at the end of epochs 3 and 5
    expect(lrs).toEqual([1e-9, 1e-9, 1e-9, 5e-10, 5e-10]);
  });

  it('guards against NaN and honours AbortSignal', async () => {
    const samples = syntheticSamples(16, T);
    samples[3].x[5] = NaN;
    const r1 = await trainModel(tinySpec(T), samples, { epochs: 3, batchSize: 16, valFraction: 0 });
    expect(r1.stopReason).toBe('non-finite');
    expect(r1.message).toMatch(/NaN/);
    for (const v of Object.values(r1.final.params)) expect(v.every(Number.isFinite)).toBe(true);

    const ac = new AbortController();
    const r2 = await trainModel(tinySpec(T), syntheticSamples(32, T), {
      epochs: 50,
      batchSize: 8,
      onBatchEnd: (m) => {
        if (m.epoch === 2 && m.batch === 1) ac.abort();
      },
      signal: ac.signal,
    });
    expect(r2.stopReason).toBe('aborted');
    expect(r2.history.length).toBe(1);
  });

  it('resume from a checkpoint continues at the saved epoch and matches an uninterrupted run', async () => {
    const samples = syntheticSamples(40, T);
    const opts = { batchSize: 8, learningRate: 0.01, seed: 5, patience: 100, augment: {} };
    const full = await trainModel(tinySpec(T), samples, { ...opts, epochs: 4 });
    const ckpts: Uint8Array[] = [];
    await trainModel(tinySpec(T), samples, {
      ...opts,
      epochs: 2,
      onCheckpoint: (c, e) => {
        ckpts[e] = c;
      },
    });
    expect(unpackFile(ckpts[2]).manifest.type).toBe('checkpoint');
    const seen: number[] = [];
    const resumed = await trainModel(tinySpec(T), samples, {
      ...opts,
      epochs: 4,
      resumeFrom: ckpts[2],
      onEpochEnd: (m) => {
        seen.push(m.epoch);
      },
    });
    expect(seen).toEqual([3, 4]);
    expect(resumed.history.length).toBe(4);
    for (const k of Object.keys(full.final.params))
      expect(maxAbsDiff(full.final.params[k], resumed.final.params[k])).toBeLessThan(1e-5);
    expect(resumed.history[3].valMae).toBeCloseTo(full.history[3].valMae!, 3);
  });

  it('refuses a checkpoint made for other samples or another spec, clearly and without leaking tensors', async () => {
    let ckpt: Uint8Array | undefined;
    await trainModel(tinySpec(T), syntheticSamples(16, T), {
      epochs: 1,
      batchSize: 16,
      onCheckpoint: (c) => {
        ckpt = c;
      },
    });
    const before = tf.memory().numTensors;
    await expect(trainModel(tinySpec(T), syntheticSamples(20, T), { epochs: 2, resumeFrom: ckpt })).rejects.toThrow(
      'checkpoint was made with 16 samples, got 20',
    );
    await expect(
      trainModel(tinySpec(T, false), syntheticSamples(16, T), { epochs: 2, resumeFrom: ckpt }),
    ).rejects.toThrow(/different model spec/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('save/load round trip gives identical predictions', () => {
    const spec = standardModel(T, { exerciseHead: true });
    const m = ScoringModel.create(spec, 9);
    const xs = syntheticSamples(3, T).map((s) => s.x);
    const p1 = m.predict(xs);
    const bytes = m.save({ note: 'test' });
    const m2 = ScoringModel.load(bytes);
    const p2 = m2.predict(xs);
    expect(Array.from(p2.scores)).toEqual(Array.from(p1.scores));
    expect(maxAbsDiff(p2.exerciseProbs![0], p1.exerciseProbs![0])).toBe(0);
    const saved = unpackModel(bytes);
    expect(saved.metadata).toEqual({ note: 'test' });
    expect(unpackModel(packModel(saved)).params['bilstm1/fw/kernel']).toEqual(saved.params['bilstm1/fw/kernel']);
    expect(() => unpackModel(new Uint8Array(16))).toThrow(/magic/);
    m.dispose();
    m2.dispose();
  });
});

describe('trainer with attention + batch norm, and the scoring pipeline', () => {
  beforeAll(() => useBackend('wasm'));
  it('updates BatchNorm moving statistics and scores keypoints through scoreClip', async () => {
    const { scoreClip } = await import('../../src-shared/scoring/pipeline');
    const { flattenFrame } = await import('../../src-shared/keypoints/stored');
    const spec = {
      irVersion: 1 as const,
      kind: 'tiny-high',
      numFrames: T,
      numFeatures: 132,
      layers: [
        { kind: 'bilstm' as const, name: 'l1', units: 6, returnSequences: true },
        { kind: 'attention' as const, name: 'att', heads: 2, keyDim: 3 },
        { kind: 'globalAvgPool' as const },
        { kind: 'dense' as const, name: 'd1', units: 8, activation: 'relu' as const },
        { kind: 'batchNorm' as const, name: 'bn1', epsilon: 1e-3, momentum: 0.9 },
        { kind: 'dropout' as const, rate: 0.2 },
      ],
      heads: { score: { name: 'score' as const }, exercise: { name: 'exercise' as const, numClasses: 14 } },
    };
    const res = await trainModel(spec, syntheticSamples(24, T), { epochs: 2, batchSize: 8, learningRate: 0.01 });
    expect(res.history.length).toBe(2);
    expect(res.final.params['bn1/moving_mean'].some((v) => v !== 0)).toBe(true);
    expect(res.final.params['bn1/moving_variance'].some((v) => v !== 1)).toBe(true);
    const model = ScoringModel.fromSaved(res.final);
    const frames = Array.from({ length: 12 }, (_, t) =>
      Array.from({ length: 33 }, (_, i) => ({
        x: 0.4 + 0.01 * i,
        y: 0.3 + 0.02 * i + 0.01 * t,
        z: 0,
        visibility: 0.9,
      })),
    );
    let probs: ArrayLike<number> | undefined;
    const s = await scoreClip(
      {
        numFrames: model.spec.numFrames,
        hasExerciseHead: true,
        classes: {},
        run: (xs) => {
          const p = model.predict(xs);
          probs = p.exerciseProbs?.[0];
          return p;
        },
      },
      [...frames.slice(0, 11).map(flattenFrame), null],
    );
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(100);
    expect(probs?.length).toBe(14);
    expect(s.exercise).not.toBeNull();
    model.dispose();
  });
});
