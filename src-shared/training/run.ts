/** The training run, shared by the app's worker and the CLI: data → run → trainModel → models → predictions → evaluation. */
import type { PoseModelVariant } from '../keypoints/format';
import type { trainModel as TrainModelFn } from '../model/train';
import { buildModelSpec } from '../model/architecture';
import type { ResumeInfo, TrainingSettings } from '../api/training-contract';
import { toTrainingSamples, trainingDataProblem } from './samples';
import { uploadCheckpoint } from './checkpoint-transfer';
import { toEpochRecord } from './epoch-record';
import { crossValidate, type CrossValidationOutcome } from './cross-validate';
import {
  isOutOfMemory,
  OUT_OF_MEMORY_ADVICE,
  TrainingProblem,
  type RunCallbacks,
  type RunDeps,
  type RunResult,
  type RunSettings,
} from './run-types';
import { startRun } from './run-start';
import { saveOutcome } from './run-outcome';

export {
  TrainingProblem,
  isOutOfMemory,
  OUT_OF_MEMORY_ADVICE,
  type RunDeps,
  type RunCallbacks,
  type RunInfo,
  type RunResult,
  type RunSettings,
} from './run-types';
export { toEpochRecord };

const fmtStat = (s: { mean: number | null; sd: number | null }) =>
  s.mean === null ? '–' : `${s.mean.toFixed(2)}${s.sd !== null ? ` ± ${s.sd.toFixed(2)}` : ''}`;

/**
 * Train one run end to end: data → run → trainModel (metrics, checkpoints) → best/final models → predictions on the
 * validation set and every train/test video with keypoints → evaluation → run finished. `resumeRunId` continues a
 * stopped or interrupted run from its checkpoint (its own settings are used).
 */
export async function runTraining(
  requested: RunSettings,
  deps: RunDeps,
  cb: RunCallbacks = {},
  opts: { signal?: AbortSignal; resumeRunId?: number } = {},
): Promise<RunResult> {
  let resume: ResumeInfo | null = null;
  if (opts.resumeRunId !== undefined) {
    resume = await deps.invoke('runs.resumeInfo', { runId: opts.resumeRunId });
    if (!resume) throw new TrainingProblem(`Run ${opts.resumeRunId} has no checkpoint to resume from.`);
  }
  const base = resume ? resume.run.settings : requested;
  const variant = (base.variant ?? 'full') as PoseModelVariant;
  cb.onStatus?.('Loading training data…');
  const data = await deps.invoke('training.data', { numFrames: base.numFrames, variant, withOthers: true });
  const problem = trainingDataProblem(data);
  if (problem) throw new TrainingProblem(problem);
  const exerciseHead = data.exerciseTypes.length > 1;
  const settings: TrainingSettings = resume
    ? resume.run.settings
    : { ...requested, variant, exerciseHead, source: requested.source };
  if (settings.exerciseHead !== exerciseHead) {
    throw new TrainingProblem(
      `The exercise types in the data changed since run ${resume!.run.id} started; start a new run.`,
    );
  }
  cb.onStatus?.(
    exerciseHead
      ? `${data.items.length} clips, ${data.exerciseTypes.length} exercise types: score + exercise heads`
      : `${data.items.length} clips, one exercise type (${data.exerciseTypes[0]}): score head only`,
  );
  const spec = buildModelSpec(settings.modelKind, settings.numFrames, { exerciseHead });
  const samples = toTrainingSamples(data.items, settings.numFrames);

  const { runId, resumeFrom, folds, split } = await startRun(settings, samples, resume, deps, cb);
  const history = resume ? resume.history : [];
  const counts = resume?.run.dataSummary ?? { train: split.train.length, val: split.val.length };
  cb.onRun?.({
    runId,
    settings,
    history,
    train: counts.train,
    val: counts.val,
    batchesPerEpoch: Math.ceil(counts.train / settings.batchSize),
  });
  cb.onStatus?.(resume ? `Resuming run ${runId} from epoch ${resume.epoch}` : `Training run ${runId}`);

  let cv: CrossValidationOutcome | null = null;
  let epochs = settings.epochs;
  if (folds.length) {
    const meta = data.items.map((it) => ({ videoId: it.videoId, score: it.score, exercise: it.exercise }));
    try {
      cv = await crossValidate(
        spec,
        samples,
        meta,
        folds,
        settings,
        deps,
        {
          onFold: (f) => {
            cb.onStatus?.(`Run ${runId}: fold ${f.fold} of ${f.k} (${f.train} train / ${f.val} held out)`);
            cb.onFold?.(f);
          },
          onFoldEpoch: cb.onFoldEpoch,
        },
        opts.signal,
      );
    } catch (err) {
      await deps
        .invoke('runs.finish', {
          runId,
          status: 'failed',
          message: `Cross-validation failed: ${String((err as Error)?.message ?? err)}`.slice(0, 4000),
          bestEpoch: null,
          bestValMae: null,
        })
        .catch(() => undefined);
      throw err;
    }
    if (!cv.result) {
      const message = `Stopped during fold ${cv.stoppedInFold} of ${folds.length}: no model was saved.`;
      await deps.invoke('runs.finish', { runId, status: 'cancelled', message, bestEpoch: null, bestValMae: null });
      cb.onStatus?.(message);
      return {
        runId,
        status: 'cancelled',
        message,
        bestEpoch: null,
        bestValMae: null,
        evaluation: null,
        models: [],
        predictions: 0,
        exerciseHead,
      };
    }
    epochs = cv.result.finalEpochs;
    cb.onStatus?.(
      `Run ${runId}: final model on all ${samples.length} clips for ${epochs} epochs (the folds' mean best epoch)`,
    );
  }
  // Checkpoints go up every `everyMs` from the start, not after the first epoch nor at the last one: a finished run
  // deletes its checkpoint, and a stop uploads the newest one (below). Each upload was a 14 MB (standard model)
  // copy that cost a short run about as much as its training.
  const everyMs = (deps.checkpointEverySec ?? 15) * 1000;
  let lastCkpt = Date.now();
  let pendingCkpt: { bytes: Uint8Array; epoch: number } | null = null;
  let result: Awaited<ReturnType<typeof TrainModelFn>>;
  try {
    result = await deps.trainModel(spec, samples, {
      epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      // k-fold: the final model trains exactly the epochs the folds chose (there is no validation to stop on).
      patience: cv ? epochs + 1 : settings.patience,
      valFraction: settings.valFraction,
      seed: settings.seed,
      split,
      augment: settings.augment ? {} : false,
      resumeFrom,
      signal: opts.signal,
      onBatchEnd: (m) => cb.onBatch?.(m),
      onEpochEnd: async (m) => {
        const rec = toEpochRecord(m);
        cb.onEpoch?.(rec);
        await deps.invoke('runs.epoch', { runId, metrics: rec });
      },
      onCheckpoint: cv
        ? undefined
        : async (bytes, epoch) => {
            const now = Date.now();
            if (now - lastCkpt >= everyMs) {
              pendingCkpt = null;
              lastCkpt = now;
              await uploadCheckpoint(deps, runId, epoch, bytes);
              cb.onCheckpoint?.(epoch);
            } else pendingCkpt = { bytes, epoch };
          },
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const oom = isOutOfMemory(msg);
    const message = oom ? `${OUT_OF_MEMORY_ADVICE} (${msg})` : `Training failed: ${msg}`;
    await deps
      .invoke('runs.finish', {
        runId,
        status: 'failed',
        message: message.slice(0, 4000),
        bestEpoch: null,
        bestValMae: null,
      })
      .catch(() => undefined);
    throw oom ? new TrainingProblem(message) : err;
  }
  const status: RunResult['status'] = result.stopReason === 'aborted' ? 'cancelled' : result.stopReason;
  // A stopped run keeps its newest checkpoint so it can be resumed.
  const unsaved = pendingCkpt as { bytes: Uint8Array; epoch: number } | null;
  if (status === 'cancelled' && unsaved) await uploadCheckpoint(deps, runId, unsaved.epoch, unsaved.bytes);

  const trainedEpochs = result.history.length;
  const cvResult = cv?.result ?? null;
  // k-fold keeps the model after the chosen number of epochs (no validation picks a "best" epoch).
  const chosen = cvResult ? result.final : result.best;
  const out: RunResult = {
    runId,
    status,
    message: '',
    bestEpoch: trainedEpochs ? (cvResult ? trainedEpochs : result.bestEpoch) : null,
    // k-fold: the run's validation MAE is the folds' mean held-out MAE.
    bestValMae: cvResult
      ? cvResult.summary.mae.mean
      : trainedEpochs && Number.isFinite(result.bestMae)
        ? result.bestMae
        : null,
    evaluation: null,
    models: [],
    predictions: 0,
    exerciseHead,
  };
  if (trainedEpochs > 0)
    await saveOutcome({ runId, settings, variant, data, samples, result, cv, chosen }, out, deps, cb);
  const cvNote = cvResult
    ? `${cvResult.k}-fold CV MAE ${fmtStat(cvResult.summary.mae)}; final model: ${trainedEpochs} epochs on all clips. `
    : '';
  const message = cvNote + result.message;
  await deps.invoke('runs.finish', {
    runId,
    status,
    message: message.slice(0, 4000),
    bestEpoch: out.bestEpoch,
    bestValMae: out.bestValMae,
    evaluation: out.evaluation,
  });
  out.message = message;
  cb.onStatus?.(message);
  return out;
}
