import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Services } from '../../src-main/services';
import { TRAINING_DEFAULTS, TrainingSettingsSchema } from '../../src-shared/api/training-contract';
import { runTraining, TrainingProblem, type RunSettings } from '../../src-shared/training/run';
import { kFoldByGroup, summarizeFolds } from '../../src-shared/training/kfold';
import { wasmRunDeps } from './run-deps';
import { seedTrainingHome } from './seed';

const homes: string[] = [];
const newHome = () => {
  const h = mkdtempSync(join(tmpdir(), 'fs-kfold-'));
  homes.push(h);
  return h;
};
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

describe('kFoldByGroup', () => {
  it('puts every clip in exactly one held-out fold, never splits a group, and balances fold sizes', () => {
    // 23 clips in 9 groups of uneven size.
    const groups = Array.from({ length: 23 }, (_, i) => `g${i % 9 === 0 ? 0 : (i * 7) % 9}`);
    const folds = kFoldByGroup(groups, 5, 3);
    expect(folds).toHaveLength(5);
    const held = folds.flatMap((f) => f.val).sort((a, b) => a - b);
    expect(held).toEqual(groups.map((_, i) => i));
    for (const f of folds) {
      expect([...f.train, ...f.val].sort((a, b) => a - b)).toEqual(groups.map((_, i) => i));
      const valGroups = new Set(f.val.map((i) => groups[i]));
      expect(f.train.some((i) => valGroups.has(groups[i]))).toBe(false);
      expect(f.val.length).toBeGreaterThan(0);
    }
    const sizes = folds.map((f) => f.val.length);
    // Largest group first to the emptiest fold: no fold is more than one group's size (max 6 here) off.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(6);
    // Seeded: the same seed gives the same folds, another seed other folds.
    expect(kFoldByGroup(groups, 5, 3)).toEqual(folds);
    expect(kFoldByGroup(groups, 5, 4)).not.toEqual(folds);
  });

  it('refuses fewer groups than folds, with what to do', () => {
    expect(() => kFoldByGroup(['a', 'a', 'b', 'b', 'c'], 5)).toThrow(
      /needs at least 5 groups .* has 3\. Use fewer folds/,
    );
    expect(() => kFoldByGroup(['a', 'b'], 1)).toThrow(/at least 2 folds/);
    expect(TrainingSettingsSchema.shape.kFold.safeParse(1).success).toBe(false);
    expect(TrainingSettingsSchema.shape.kFold.safeParse(5).success).toBe(true);
  });

  it('summarizes mean and sample sd across folds, skipping folds without a value', () => {
    const fold = (mae: number | null, bestEpoch: number) => ({
      fold: 1,
      train: 4,
      val: 1,
      bestEpoch,
      mae,
      rmse: mae,
      spearman: null,
      exerciseAccuracy: null,
      curve: [],
    });
    const s = summarizeFolds([fold(2, 1), fold(4, 3), fold(null, 2)]);
    expect(s.mae.mean).toBe(3);
    expect(s.mae.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(s.bestEpoch).toEqual({ mean: 2, sd: 1 });
    expect(s.spearman).toEqual({ mean: null, sd: null });
  });
});

describe('training run with k-fold', () => {
  it('trains k fold models, reports per-fold and mean ± sd held-out metrics, then one final model on all clips', async () => {
    const home = newHome();
    const seeded = seedTrainingHome(home, 12);
    const s = new Services({ home, mode: 'browser' });
    try {
      const deps = await wasmRunDeps(s);
      const settings: RunSettings = {
        ...TRAINING_DEFAULTS,
        modelKind: 'standard',
        epochs: 2,
        batchSize: 4,
        augment: false,
        source: 'cli',
        kFold: 3,
        keepFinal: true,
      };
      const foldEpochs: string[] = [];
      const finalEpochs: number[] = [];
      const t0 = performance.now();
      const r = await runTraining(settings, deps, {
        onFoldEpoch: (f, m) => foldEpochs.push(`${f}:${m.epoch}`),
        onEpoch: (m) => finalEpochs.push(m.epoch),
      });
      const seconds = (performance.now() - t0) / 1000;
      expect(r.status).toBe('completed');
      const cv = r.evaluation!.crossValidation!;
      expect(cv.k).toBe(3);
      expect(cv.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
      // Every labeled clip is held out exactly once: the pooled out-of-fold evaluation covers them all.
      expect(cv.folds.reduce((a, f) => a + f.val, 0)).toBe(seeded.labeledTrain);
      expect(r.evaluation!.n).toBe(seeded.labeledTrain);
      for (const f of cv.folds) {
        expect(f.train + f.val).toBe(seeded.labeledTrain);
        expect(f.curve.map((c) => c.epoch)).toEqual(f.curve.map((_, i) => i + 1));
        expect(f.curve.every((c) => c.valMae !== undefined)).toBe(true);
        expect(f.mae).toBeGreaterThan(0);
      }
      expect(foldEpochs).toEqual(cv.folds.flatMap((f) => f.curve.map((c) => `${f.fold}:${c.epoch}`)));
      const maes = cv.folds.map((f) => f.mae!);
      expect(cv.summary.mae.mean).toBeCloseTo(maes.reduce((a, b) => a + b, 0) / 3, 10);
      expect(cv.summary.mae.sd).toBeGreaterThanOrEqual(0);
      // The final model trains on everything for the folds' mean best epoch; one model, named with the CV MAE.
      expect(finalEpochs).toEqual(Array.from({ length: cv.finalEpochs }, (_, i) => i + 1));
      expect(cv.finalEpochs).toBe(Math.round(cv.folds.reduce((a, f) => a + f.bestEpoch, 0) / 3));
      expect(r.models.map((m) => m.role)).toEqual(['best']);
      expect(r.bestValMae).toBeCloseTo(cv.summary.mae.mean!, 10);
      expect(r.message).toMatch(/^3-fold CV MAE \d+\.\d\d ± \d+\.\d\d; final model: \d+ epochs on all clips/);
      const detail = await s.invoke('runs.get', { runId: r.runId });
      expect(detail.run.dataSummary).toEqual({ train: seeded.labeledTrain, val: 0 });
      expect(detail.metrics.map((m) => m.epoch)).toEqual(finalEpochs);
      expect(detail.evaluation?.crossValidation).toEqual(cv);
      expect(detail.run.models[0].name).toBe(`run ${r.runId} · standard · val MAE ${cv.summary.mae.mean!.toFixed(1)}`);
      console.log(
        `[k-fold] 3 folds × 2 epochs + final ${cv.finalEpochs} epochs on ${seeded.labeledTrain} clips: ${seconds.toFixed(1)} s`,
      );

      // Stopped during a fold: cancelled, nothing saved, not resumable.
      const ctrl = new AbortController();
      const stopped = await runTraining(
        settings,
        deps,
        { onFoldEpoch: (f) => f === 2 && ctrl.abort() },
        { signal: ctrl.signal },
      );
      expect(stopped).toMatchObject({ status: 'cancelled', models: [], evaluation: null });
      expect(stopped.message).toBe('Stopped during fold 2 of 3: no model was saved.');
      expect((await s.invoke('runs.get', { runId: stopped.runId })).run).toMatchObject({
        status: 'cancelled',
        resumable: false,
      });

      // More folds than groups: a TrainingProblem before any run is created.
      const runsBefore = (await s.invoke('runs.list', {})).length;
      await expect(runTraining({ ...settings, kFold: 20 }, deps)).rejects.toThrow(TrainingProblem);
      expect((await s.invoke('runs.list', {})).length).toBe(runsBefore);
    } finally {
      s.close();
    }
  }, 300_000);

  it('CLI: train --k-fold prints the folds and mean ± sd; a bad K is refused', () => {
    const home = newHome();
    seedTrainingHome(home, 9);
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['bin/form-studio.js', 'train', ...args], {
        encoding: 'utf8',
        timeout: 240_000,
      });
    const r = run([
      '--k-fold',
      '3',
      '--epochs',
      '1',
      '--batch-size',
      '4',
      '--standard-model',
      '--no-extract',
      '--home',
      home,
      '--plot',
      join(home, 'h.png'),
    ]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/fold 1 epoch 1 - loss \d+\.\d+ - mae \d+\.\d+ - val_mae \d+\.\d+/);
    expect(r.stdout).toMatch(/Out-of-fold \(\d+ clips\): MAE \d+\.\d\d/);
    expect(r.stdout).toMatch(/3-fold cross-validation/);
    expect(r.stdout).toMatch(/fold 3: \d+ train \/ \d+ held out, best epoch 1: MAE \d+\.\d\d/);
    expect(r.stdout).toMatch(/mean ± sd: MAE \d+\.\d\d ± \d+\.\d\d/);
    expect(r.stdout).toMatch(/final model: all clips, 1 epochs/);
    const bad = run(['--k-fold', '1', '--home', home]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--k-fold must be a whole number 2–20/);
  }, 300_000);
});
