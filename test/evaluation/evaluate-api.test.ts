/** `evaluation.run` and `form-studio evaluate` on a real project: SQLite, cached keypoints, a tfjs model. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { seedTrainingHome, type SeedResult } from '../training/seed';
import { seedModel } from '../support/seed-model';
import type { EvaluationReport } from '../../src-shared/evaluation';

const home = mkdtempSync(join(tmpdir(), 'fs-eval-'));
let s: Services;
let seeded: SeedResult;
let modelId: number;
let report: EvaluationReport | undefined;

beforeAll(async () => {
  seeded = seedTrainingHome(home, 24);
  modelId = await seedModel(home, 3);
  s = new Services({ home, mode: 'browser', version: 'test' });
});
afterAll(() => {
  s?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('evaluation.run', () => {
  it('evaluates the newest best model on every labeled test video with keypoints, with baselines', async () => {
    const r = await s.invoke('evaluation.run', {});
    report = r;
    expect(r.model.id).toBe(modelId);
    expect(r.split).toBe('test');
    expect(r.n).toBe(seeded.test);
    expect(r.rows).toHaveLength(seeded.test);
    for (const row of r.rows) {
      expect(row.absError).toBeCloseTo(Math.abs(row.predicted - row.label), 9);
      expect(row.predicted).toBeGreaterThanOrEqual(0);
      expect(row.predicted).toBeLessThanOrEqual(100);
    }
    expect(r.methods.map((m) => m.key)).toEqual(['model', 'train-mean', 'exercise-mean']);
    expect(r.trainCount).toBe(seeded.labeledTrain);
    // The training mean baseline predicts the mean of the training labels for every row.
    const labels = r.rows.map((x) => x.label);
    const trainMean = Number(/\(([\d.]+)\)/.exec(r.methods[1].name)![1]);
    expect(r.methods[1].mae).toBeCloseTo(labels.reduce((a, l) => a + Math.abs(l - trainMean), 0) / labels.length, 1);
    expect(r.confusionLabels.length).toBeGreaterThan(0);
    expect(r.headline).toMatch(/^The model /);
  });

  it('the train split notes that the model has seen it; val needs a training run', async () => {
    const t = await s.invoke('evaluation.run', { split: 'train', modelId });
    expect(t.n).toBe(seeded.labeledTrain);
    expect(t.notes.join(' ')).toContain('the model has seen these videos');
    const v = await s.call('evaluation.run', { split: 'val', modelId });
    expect(!v.ok && v.error.message).toMatch(/has no training run.*test split/);
    const bad = await s.call('evaluation.run', { split: 'nope' as 'test' });
    expect(bad.ok).toBe(false);
  });
});

describe('form-studio evaluate', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['bin/form-studio.js', 'evaluate', '--home', home, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('prints the per-video table and totals; --csv gives the same numbers as the API', () => {
    const text = cli([]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`on the test split: ${seeded.test} labeled videos`);
    expect(text.stdout).toMatch(/exercises_test\/squat\/athlete\d+_squat_\d+\.mp4/);
    expect(text.stdout).toContain('Baseline: per-exercise training mean');
    const csv = cli(['--csv', '--model', String(modelId)]).stdout.split('\n');
    expect(csv.filter((l) => /^\d+,exercises_test\//.test(l))).toHaveLength(seeded.test);
    expect(Number(csv.find((l) => l.startsWith('Model,'))!.split(',')[2])).toBeCloseTo(report!.methods[0].mae, 3);
  });
});

describe('small-data check and making a test split (last: it moves videos)', () => {
  it('warns with the numbers the training split will have, and a test split moves whole groups', async () => {
    const check = await s.invoke('evaluation.dataCheck', { valFraction: 0.2, seed: 1 });
    expect(check.clips).toBe(seeded.labeledTrain);
    expect(check.testLabeled).toBe(seeded.test);
    expect(check.valCount).toBeGreaterThan(0);
    expect(check.warnings.map((w) => w.code)).toContain('small-val');
    const before = await s.invoke('videos.list', {});
    const r = await s.invoke('evaluation.makeTestSplit', { fraction: 0.25 });
    expect(r.moved).toBeGreaterThan(0);
    const movedLabeled = r.test - seeded.test;
    expect(movedLabeled).toBeGreaterThan(0);
    expect(movedLabeled).toBeLessThanOrEqual(r.moved);
    const after = await s.invoke('videos.list', {});
    const moved = after.filter((v) => v.split === 'test' && before.find((b) => b.id === v.id)!.split === 'train');
    expect(moved).toHaveLength(r.moved);
    // Athletes (the group: folder + athleteNN_type) never straddle train and test.
    const groupOf = (p: string) => p.replace(/_\d+\.mp4$/, '');
    const trainGroups = new Set(after.filter((v) => v.split === 'train').map((v) => groupOf(v.relPath)));
    for (const v of moved) expect(trainGroups.has(groupOf(v.relPath))).toBe(false);
  });
});
