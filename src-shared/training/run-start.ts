/** A training run's start: continue a resumed one, or create one with its split (k folds, or train/validation). */
import type { DataSplit } from '../model/train';
import type { ResumeInfo, TrainingSettings } from '../api/training-contract';
import type { TrainingSample } from '../model/train';
import { downloadCheckpoint } from './checkpoint-transfer';
import { kFoldByGroup } from './kfold';
import { TrainingProblem, type RunCallbacks, type RunDeps } from './run-types';

export interface StartedRun {
  runId: number;
  /** Checkpoint bytes of a resumed run. */
  resumeFrom?: Uint8Array;
  /** k-fold: the folds (empty otherwise). */
  folds: DataSplit[];
  split: DataSplit;
}

export async function startRun(
  settings: TrainingSettings,
  samples: TrainingSample[],
  resume: ResumeInfo | null,
  deps: RunDeps,
  cb: RunCallbacks,
): Promise<StartedRun> {
  let runId: number;
  let resumeFrom: Uint8Array | undefined;
  const kFold = resume ? 0 : (settings.kFold ?? 0);
  let folds: DataSplit[] = [];
  let split: DataSplit;
  if (resume) {
    runId = resume.run.id;
    cb.onStatus?.(`Loading checkpoint of run ${runId} (epoch ${resume.epoch})…`);
    resumeFrom = await downloadCheckpoint(deps, runId, resume.sizeBytes);
    await deps.invoke('runs.reopen', { runId, backend: deps.backend });
    split = resume.run.dataSummary
      ? deps.splitByGroup(
          samples.map((s) => s.group),
          settings.valFraction,
          settings.seed,
        ) // the checkpoint's own split wins inside trainModel
      : { train: samples.map((_, i) => i), val: [] };
  } else if (kFold >= 2) {
    try {
      folds = kFoldByGroup(
        samples.map((s) => s.group),
        kFold,
        settings.seed,
      );
    } catch (err) {
      throw new TrainingProblem((err as Error).message);
    }
    // The final model trains on everything; the folds' held-out sets are the validation.
    split = { train: samples.map((_, i) => i), val: [] };
    runId = (
      await deps.invoke('runs.create', {
        settings,
        backend: deps.backend,
        dataSummary: { train: samples.length, val: 0 },
      })
    ).runId;
  } else {
    split = deps.splitByGroup(
      samples.map((s) => s.group),
      settings.valFraction,
      settings.seed,
    );
    runId = (
      await deps.invoke('runs.create', {
        settings,
        backend: deps.backend,
        dataSummary: { train: split.train.length, val: split.val.length },
      })
    ).runId;
  }
  return { runId, resumeFrom, folds, split };
}
