/**
 * k-fold cross-validation inside a training run: one fresh model per fold (same settings, that fold's
 * group-aware split), its best weights scored on the held-out fold, each clip predicted exactly once
 * (out-of-fold). The folds' mean best epoch is how long the final model then trains on everything.
 */
import type { ModelSpec } from '../model/architecture';
import type { DataSplit, TrainingSample } from '../model/train';
import type { CrossValidation, EpochRecord, TrainingSettings } from '../api/training-contract';
import type { ExerciseType } from '../domain/exercises';
import { buildEvaluation } from './evaluation';
import { summarizeFolds } from './kfold';
import { toEpochRecord } from './epoch-record';
import type { RunDeps } from './run';

export interface FoldInfo {
  fold: number;
  k: number;
  train: number;
  val: number;
}

export interface CrossValidationCallbacks {
  onFold?: (info: FoldInfo) => void;
  onFoldEpoch?: (fold: number, m: EpochRecord) => void;
}

export interface CrossValidationOutcome {
  /** Null when stopped before every fold finished. */
  result: CrossValidation | null;
  /** Fold during which it was stopped (1-based), else null. */
  stoppedInFold: number | null;
  /** Out-of-fold predictions (index = sample); NaN for clips of folds that did not run. */
  predicted: Float64Array;
  probs: Array<ArrayLike<number> | undefined>;
}

export async function crossValidate(
  spec: ModelSpec,
  samples: TrainingSample[],
  meta: Array<{ videoId: number; score: number; exercise: ExerciseType }>,
  folds: DataSplit[],
  settings: TrainingSettings,
  deps: Pick<RunDeps, 'trainModel' | 'predict'>,
  cb: CrossValidationCallbacks = {},
  signal?: AbortSignal,
): Promise<CrossValidationOutcome> {
  const predicted = new Float64Array(samples.length).fill(NaN);
  const probs: Array<ArrayLike<number> | undefined> = new Array(samples.length);
  const done: CrossValidation['folds'] = [];
  for (let f = 0; f < folds.length; f++) {
    const split = folds[f];
    cb.onFold?.({ fold: f + 1, k: folds.length, train: split.train.length, val: split.val.length });
    const curve: EpochRecord[] = [];
    const r = await deps.trainModel(spec, samples, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      patience: settings.patience,
      seed: settings.seed,
      split,
      augment: settings.augment ? {} : false,
      signal,
      onEpochEnd: (m) => {
        const rec = toEpochRecord(m);
        curve.push(rec);
        cb.onFoldEpoch?.(f + 1, rec);
      },
    });
    if (r.stopReason === 'aborted') return { result: null, stoppedInFold: f + 1, predicted, probs };
    const pred = deps.predict(
      r.best,
      split.val.map((i) => samples[i].x),
    );
    split.val.forEach((i, j) => {
      predicted[i] = pred.scores[j];
      probs[i] = pred.exerciseProbs?.[j];
    });
    const ev = buildEvaluation(
      split.val.map((i) => ({
        videoId: meta[i].videoId,
        label: meta[i].score,
        predicted: predicted[i],
        exercise: meta[i].exercise,
        probs: probs[i],
      })),
    );
    done.push({
      fold: f + 1,
      train: split.train.length,
      val: split.val.length,
      bestEpoch: r.history.length ? r.bestEpoch : 0,
      mae: ev.mae,
      rmse: ev.rmse,
      spearman: ev.spearman,
      exerciseAccuracy: ev.exerciseAccuracy,
      curve,
    });
  }
  const summary = summarizeFolds(done);
  const finalEpochs = Math.max(1, Math.round(summary.bestEpoch.mean ?? settings.epochs));
  return { result: { k: folds.length, folds: done, summary, finalEpochs }, stoppedInFold: null, predicted, probs };
}
