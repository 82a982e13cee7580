/** The training session, shared by the app's worker and the CLI: data → run → trainModel → models → predictions → evaluation. */
import { interpretOutputs, trainedClassesOf } from '../scoring/clip-score';
import type { PoseModelVariant } from '../keypoints/format';
import type {
  BatchMetrics,
  DataSplit,
  trainModel as TrainModelFn,
  splitByGroup as SplitByGroupFn,
} from '../model/train';
import type { SavedModel } from '../model/serialize';
import { packModel } from '../model/serialize';
import { buildModelSpec } from '../model/architecture';
import type { ApiName, ApiInput, ApiOutput } from '../api/contract';
import {
  type EpochRecord,
  type Evaluation,
  type ResumeInfo,
  type RunStatus,
  type TrainingSettings,
} from '../api/training-contract';
import { keypointsToInput, toTrainingSamples, trainingDataProblem } from './samples';
import { buildEvaluation } from './evaluation';
import { downloadCheckpoint, uploadCheckpoint } from './checkpoint-transfer';
import { bytesToBase64 } from './base64';
import { toEpochRecord } from './epoch-record';
import { kFoldByGroup } from './kfold';
import { crossValidate, type CrossValidationCallbacks, type CrossValidationOutcome } from './cross-validate';

// ── The training session, shared by the app's worker and the CLI ──────────────────────────────────────
/** What the session needs from tfjs (injected, so this file stays free of tfjs and of any backend). */
export interface SessionDeps {
  invoke: <K extends ApiName>(name: K, input: ApiInput<K>) => Promise<ApiOutput<K>>;
  trainModel: typeof TrainModelFn;
  splitByGroup: typeof SplitByGroupFn;
  /** Score clips with a model held in JS memory (creates and disposes its tensors). */
  predict: (model: SavedModel, xs: Float32Array[]) => { scores: Float32Array; exerciseProbs?: Float32Array[] };
  /** Backend name shown in runs ('webgpu', 'webgl', 'wasm', 'cpu' …). */
  backend: string;
  /** Seconds between checkpoint uploads (the last epoch is always checkpointed when stopped). Default 15. */
  checkpointEverySec?: number;
}

export interface SessionCallbacks {
  onStatus?: (text: string) => void;
  onRun?: (info: {
    runId: number;
    settings: TrainingSettings;
    history: EpochRecord[];
    train: number;
    val: number;
    batchesPerEpoch: number;
  }) => void;
  onBatch?: (m: BatchMetrics) => void;
  onEpoch?: (m: EpochRecord) => void;
  onCheckpoint?: (epoch: number) => void;
  /** k-fold: a fold starts (its curve arrives through onFoldEpoch; onEpoch/onBatch are the final model's). */
  onFold?: CrossValidationCallbacks['onFold'];
  onFoldEpoch?: CrossValidationCallbacks['onFoldEpoch'];
}

export interface SessionResult {
  runId: number;
  status: Exclude<RunStatus, 'running'>;
  message: string;
  bestEpoch: number | null;
  bestValMae: number | null;
  evaluation: Evaluation | null;
  models: Array<{ role: 'best' | 'final'; modelId: number; name: string; path: string }>;
  predictions: number;
  exerciseHead: boolean;
}

/** A problem with the data or settings the user must fix (shown as is, no stack). */
export class TrainingProblem extends Error {}

export type SessionSettings = Omit<TrainingSettings, 'exerciseHead' | 'variant' | 'source'> & {
  variant?: PoseModelVariant;
  source: 'app' | 'cli';
};

/** Advice for an out-of-memory failure (the toolkit's troubleshooting). */
export function isOutOfMemory(message: string): boolean {
  return /out of memory|oom|memory access out of bounds|failed to allocate|allocation failed|cannot enlarge memory|Array buffer allocation|RangeError: Invalid typed array length/i.test(
    message,
  );
}
export const OUT_OF_MEMORY_ADVICE =
  'Out of memory. Try a smaller batch size (e.g. 4), the standard model, or fewer frames (e.g. 16).';

export { toEpochRecord };

const fmtStat = (s: { mean: number | null; sd: number | null }) =>
  s.mean === null ? '–' : `${s.mean.toFixed(2)}${s.sd !== null ? ` ± ${s.sd.toFixed(2)}` : ''}`;

/**
 * Train one run end to end: data → run → trainModel (metrics, checkpoints) → best/final models → predictions on the
 * validation set and every train/test video with keypoints → evaluation → run finished. `resumeRunId` continues a
 * stopped or interrupted run from its checkpoint (its own settings are used).
 */
export async function runTrainingSession(
  requested: SessionSettings,
  deps: SessionDeps,
  cb: SessionCallbacks = {},
  opts: { signal?: AbortSignal; resumeRunId?: number } = {},
): Promise<SessionResult> {
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
  const everyMs = (deps.checkpointEverySec ?? 15) * 1000;
  let lastCkpt = 0;
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
            if (now - lastCkpt >= everyMs || epoch >= settings.epochs) {
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
  const status: SessionResult['status'] =
    result.stopReason === 'aborted'
      ? 'cancelled'
      : result.stopReason === 'early-stopped'
        ? 'early-stopped'
        : result.stopReason === 'non-finite'
          ? 'non-finite'
          : 'completed';
  // A stopped run keeps its newest checkpoint so it can be resumed.
  const unsaved = pendingCkpt as { bytes: Uint8Array; epoch: number } | null;
  if (status === 'cancelled' && unsaved) await uploadCheckpoint(deps, runId, unsaved.epoch, unsaved.bytes);

  const trainedEpochs = result.history.length;
  const cvResult = cv?.result ?? null;
  // k-fold keeps the model after the chosen number of epochs (no validation picks a "best" epoch).
  const chosen = cvResult ? result.final : result.best;
  const out: SessionResult = {
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
  if (trainedEpochs > 0) {
    cb.onStatus?.('Saving the best and final models…');
    const metricsOf = (role: 'best' | 'final') => {
      const h =
        role === 'best' && !cvResult
          ? result.history.find((x) => x.epoch === result.bestEpoch)
          : result.history[result.history.length - 1];
      const m: Record<string, number | string | boolean | null> = {
        role,
        epoch: h?.epoch ?? null,
        backend: deps.backend,
        stopReason: result.stopReason,
      };
      if (cvResult)
        Object.assign(m, { kFold: cvResult.k, valMae: cvResult.summary.mae.mean, valMaeSd: cvResult.summary.mae.sd });
      for (const k of [
        'loss',
        'mae',
        'rmse',
        'exerciseAcc',
        'valLoss',
        'valMae',
        'valRmse',
        'valExerciseAcc',
      ] as const) {
        const v = h?.[k];
        if (typeof v === 'number' && Number.isFinite(v) && m[k] === undefined) m[k] = v;
      }
      return m;
    };
    for (const role of (settings.keepFinal && !cvResult ? ['best', 'final'] : ['best']) as Array<'best' | 'final'>) {
      const saved = role === 'best' ? chosen : result.final;
      const meta = metricsOf(role);
      const bytes = packModel({
        ...saved,
        metadata: { ...(saved.metadata ?? {}), ...meta, runId, numFrames: settings.numFrames, variant },
      });
      const valMae = typeof meta.valMae === 'number' ? meta.valMae : null;
      const r = await deps.invoke('runs.saveModel', {
        runId,
        role,
        bytesBase64: bytesToBase64(bytes),
        valMae,
        metrics: meta,
      });
      out.models.push({ role, ...r });
    }
    cb.onStatus?.('Predicting on the validation set and all videos with keypoints…');
    const all = [
      ...data.items.map((it, i) => ({ videoId: it.videoId, x: samples[i].x })),
      ...data.others.map((o) => ({
        videoId: o.videoId,
        x: keypointsToInput(o.keypoints, settings.numFrames, o.aspectRatio),
      })),
    ];
    // The Library's predicted columns: the scoring pipeline's reading of the outputs (trained-classes mask included).
    const pred = deps.predict(
      chosen,
      all.map((a) => a.x),
    );
    const trained = trainedClassesOf(chosen.metadata);
    const items = all.map((a, i) => {
      const r = interpretOutputs(pred.scores[i], pred.exerciseProbs?.[i], { trained });
      return {
        videoId: a.videoId,
        score: Math.round(r.score * 100) / 100,
        exerciseType: r.exercise,
        confidence: r.confidence === null ? null : Math.round(r.confidence * 1e4) / 1e4,
      };
    });
    const bestModel = out.models.find((m) => m.role === 'best')!;
    for (let s = 0; s < items.length; s += 50_000) {
      out.predictions += (
        await deps.invoke('predictions.save', { modelId: bestModel.modelId, items: items.slice(s, s + 50_000) })
      ).saved;
    }
    const valIdx = result.split.val.length ? result.split.val : [];
    if (cvResult && cv) {
      // Every clip scored by the fold model that did not see it (out-of-fold), plus the per-fold summary.
      out.evaluation = {
        ...buildEvaluation(
          data.items.map((it, i) => ({
            videoId: it.videoId,
            label: it.score,
            predicted: cv!.predicted[i],
            exercise: it.exercise,
            probs: cv!.probs[i],
          })),
        ),
        crossValidation: cvResult,
      };
    } else if (valIdx.length) {
      out.evaluation = buildEvaluation(
        valIdx.map((i) => ({
          videoId: data.items[i].videoId,
          label: data.items[i].score,
          predicted: pred.scores[i],
          exercise: data.items[i].exercise,
          probs: pred.exerciseProbs?.[i],
        })),
      );
    }
  }
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
