import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { TRAINING_DEFAULTS } from '../../src-shared/api/training-contract';
import { runTraining, type RunDeps, type RunSettings, TrainingProblem } from '../../src-shared/training/run';
import { trainModel, splitByGroup, ScoringModel } from '../../src-shared/model';
import { initTfjsWasm } from '../tflite/tfjs-backend';
import { seedTrainingHome } from './seed';

const home = mkdtempSync(join(tmpdir(), 'fs-run-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('training run: stop → checkpoint → resume', () => {
  it('a stopped run keeps a checkpoint, resumes from it with the same history, then finishes and drops it', async () => {
    seedTrainingHome(home, 10);
    const s = new Services({ home, mode: 'browser' });
    try {
      const backend = await initTfjsWasm();
      const deps: RunDeps = {
        invoke: (n, i) => s.invoke(n, i),
        trainModel,
        splitByGroup,
        predict: (saved, xs) => {
          const m = ScoringModel.fromSaved(saved);
          try {
            return m.predict(xs);
          } finally {
            m.dispose();
          }
        },
        backend,
        checkpointEverySec: 1e6, // only the stop / last epoch checkpoints
      };
      const settings: RunSettings = {
        ...TRAINING_DEFAULTS,
        modelKind: 'standard',
        epochs: 3,
        batchSize: 4,
        augment: false,
        source: 'cli',
        keepFinal: true,
      };
      const ctrl = new AbortController();
      const stopped = await runTraining(
        settings,
        deps,
        { onEpoch: (m) => m.epoch === 1 && ctrl.abort() },
        { signal: ctrl.signal },
      );
      expect(stopped.status).toBe('cancelled');
      expect(stopped.models.map((m) => m.role)).toEqual(['best', 'final']);
      const info = (await s.invoke('runs.resumeInfo', {}))!;
      expect(info).toMatchObject({ epoch: 1, run: { id: stopped.runId, resumable: true } });
      expect(existsSync(join(home, 'models', 'checkpoints', `${stopped.runId}.ckpt`))).toBe(true);

      const epochs: number[] = [];
      const resumed = await runTraining(
        settings,
        deps,
        { onEpoch: (m) => epochs.push(m.epoch) },
        { resumeRunId: stopped.runId },
      );
      expect(resumed.runId).toBe(stopped.runId);
      expect(epochs).toEqual([2, 3]);
      expect(resumed.status).toBe('completed');
      const detail = await s.invoke('runs.get', { runId: stopped.runId });
      expect(detail.metrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
      expect(detail.run).toMatchObject({ status: 'completed', resumable: false });
      expect(detail.evaluation?.n).toBeGreaterThan(0);
      expect(existsSync(join(home, 'models', 'checkpoints', `${stopped.runId}.ckpt`))).toBe(false);
      // Only one best and one final model per run (the resumed run replaced them).
      expect(detail.run.models.map((m) => m.role).sort()).toEqual(['best', 'final']);
      await expect(runTraining(settings, deps, {}, { resumeRunId: stopped.runId })).rejects.toBeInstanceOf(
        TrainingProblem,
      );
    } finally {
      s.close();
    }
  }, 180_000);
});
