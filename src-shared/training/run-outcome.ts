/**
 * The end of a training run that trained at least one epoch: save the chosen model (and the final one on
 * request), predict every video with keypoints with it, and build the run's evaluation (validation set, or the
 * out-of-fold predictions of k-fold).
 */
import { interpretOutputs, trainedClassesOf } from '../scoring/clip-score';
import type { PoseModelVariant } from '../keypoints/format';
import type { TrainingSample, TrainResult } from '../model/train';
import type { SavedModel } from '../model/serialize';
import { packModel } from '../model/serialize';
import type { TrainingData, TrainingSettings } from '../api/training-contract';
import { keypointsToInput } from './samples';
import { buildEvaluation } from './evaluation';
import { bytesToBase64 } from './base64';
import type { CrossValidationOutcome } from './cross-validate';
import type { RunCallbacks, RunDeps, RunResult } from './run-types';

export interface OutcomeInput {
  runId: number;
  settings: TrainingSettings;
  variant: PoseModelVariant;
  data: TrainingData;
  samples: TrainingSample[];
  result: TrainResult;
  /** k-fold only. */
  cv: CrossValidationOutcome | null;
  /** The model kept as "best" (k-fold: the final one). */
  chosen: SavedModel;
}

/** Fills `out.models`, `out.predictions` and `out.evaluation`. */
export async function saveOutcome(o: OutcomeInput, out: RunResult, deps: RunDeps, cb: RunCallbacks): Promise<void> {
  const { runId, settings, variant, data, samples, result, cv, chosen } = o;
  const cvResult = cv?.result ?? null;
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
    for (const k of ['loss', 'mae', 'rmse', 'exerciseAcc', 'valLoss', 'valMae', 'valRmse', 'valExerciseAcc'] as const) {
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
