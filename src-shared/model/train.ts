/**
 * The training loop, the Keras way: `trainModel` runs epochs of optimizer steps over shuffled mini-batches and,
 * after each epoch, evaluates, lets the callbacks act and hands out a checkpoint. The parts live beside it:
 * batches and loss (`fit/batch.ts`, `fit/loss.ts`), one step (`fit/step.ts`: gradients, NaN/Inf guard, Adam,
 * BatchNorm statistics), evaluation (`fit/evaluate.ts`), checkpoints and resume (`fit/checkpoint.ts`), the
 * group-aware split (`fit/split.ts`), Adam (`optim/adam.ts`), early stopping and reduce-on-plateau on the monitored
 * MAE (`callbacks/`). The best model is kept in memory; an AbortSignal cancels between batches.
 *
 * The backend is the caller's choice (set it before calling). Everything this creates is disposed before returning
 * (model variables, optimizer slots); results are returned as JS-memory weights (`SavedModel`).
 */
import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type ModelSpec } from './architecture';
import { ScoringModel } from './model';
import { Rng } from './rng';
import { EXERCISE_TYPES } from '../domain/exercises';
import type { ParamMap, ShapeMap } from './serialize';
import { Adam } from './optim/adam';
import { EarlyStopping } from './callbacks/early-stopping';
import { ReduceLROnPlateau } from './callbacks/reduce-lr-on-plateau';
import { disposeBatch, makeBatch, type BatchSource } from './fit/batch';
import { readCheckpoint, writeCheckpoint } from './fit/checkpoint';
import { addScoreErrors, evaluate, type EvalContext } from './fit/evaluate';
import { splitByGroup } from './fit/split';
import { trainStep, type StepContext } from './fit/step';
import {
  TRAIN_DEFAULTS,
  type EpochMetrics,
  type StopReason,
  type TrainingSample,
  type TrainOptions,
  type TrainResult,
} from './fit/types';

export { splitByGroup, needsExerciseHead } from './fit/split';
export type {
  TrainingSample,
  BatchMetrics,
  EpochMetrics,
  TrainOptions,
  StopReason,
  TrainResult,
  DataSplit,
} from './fit/types';

function snapshot(vars: Record<string, tf.Variable>): ParamMap {
  const out: ParamMap = {};
  for (const [k, v] of Object.entries(vars)) out[k] = new Float32Array(v.dataSync() as Float32Array);
  return out;
}

function shapesOf(spec: ModelSpec): ShapeMap {
  const s: ShapeMap = {};
  for (const p of paramSpecs(spec)) s[p.name] = p.shape;
  return s;
}

const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/** Train a model described by `spec` on `samples`. */
export async function trainModel(
  spec: ModelSpec,
  samples: TrainingSample[],
  options: TrainOptions = {},
): Promise<TrainResult> {
  const o = { ...TRAIN_DEFAULTS, ...options };
  const per = spec.numFrames * spec.numFeatures;
  samples.forEach((s, i) => {
    if (s.x.length !== per) throw new Error(`sample ${i}: ${s.x.length} values, expected ${per}`);
  });
  if (samples.length === 0) throw new Error('no training samples');
  const numClasses = spec.heads.exercise?.numClasses ?? 0;

  const rng = new Rng(o.seed);
  let split =
    o.split ??
    splitByGroup(
      samples.map((s) => s.group),
      o.valFraction,
      o.seed,
    );
  const model = o.initialWeights ? ScoringModel.fromSaved(o.initialWeights) : ScoringModel.create(spec, o.seed);
  if (o.initialWeights && JSON.stringify(o.initialWeights.spec) !== JSON.stringify(spec)) {
    model.dispose();
    throw new Error('initialWeights were made for a different model spec');
  }
  const vars = model.vars;
  const specsByName = new Map(paramSpecs(spec).map((p) => [p.name, p]));
  const trainableNames = Object.keys(vars).filter((n) => specsByName.get(n)!.trainable);
  const adam = new Adam(o.learningRate);
  const shapes = shapesOf(spec);
  const earlyStopping = new EarlyStopping(o.patience, o.minDelta);
  const plateau = new ReduceLROnPlateau({
    factor: o.lrFactor,
    patience: o.lrPatience,
    minLr: o.minLr,
    minDelta: o.minDelta,
  });
  const lossWeights = { scoreLossWeight: o.scoreLossWeight, exerciseLossWeight: o.exerciseLossWeight };
  const source: BatchSource = { spec, samples, numClasses, rng, augment: o.augment };
  const stepCtx: StepContext = {
    spec,
    vars,
    trainableNames,
    optimizer: adam,
    loss: lossWeights,
    numClasses,
    lstmImpl: o.lstmImpl,
  };
  const evalCtx: EvalContext = { source, vars, batchSize: o.batchSize, loss: lossWeights, lstmImpl: o.lstmImpl };

  let startEpoch = 0;
  let history: EpochMetrics[] = [];
  let best: ParamMap | null = null;
  let stopReason: StopReason = 'completed';
  let message = '';
  const stop = (reason: StopReason, why: string) => {
    stopReason = reason;
    message = why;
  };

  try {
    if (o.resumeFrom) {
      const ck = readCheckpoint(o.resumeFrom, spec, samples.length, Object.keys(vars), trainableNames, adam);
      model.setParams(ck.params);
      best = ck.best;
      const st = ck.state;
      rng.state = st.rngState;
      startEpoch = st.epoch;
      earlyStopping.restore({ best: st.bestMae, bestEpoch: st.bestEpoch, wait: st.wait });
      plateau.restore({ best: st.bestMae, wait: st.lrWait });
      history = st.history;
      split = st.split;
    }
    const hasVal = split.val.length > 0;
    let lastGood: ParamMap = snapshot(vars);
    const batchesPerEpoch = Math.ceil(split.train.length / o.batchSize);

    epochLoop: for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      if (o.signal?.aborted) {
        stop('aborted', 'training was cancelled');
        break;
      }
      const t0 = performance.now();
      const order = rng.shuffle(split.train.slice());
      const sums = { loss: 0, ae: 0, se: 0, n: 0, correct: 0, labeled: 0 };
      let lastYield = performance.now();
      for (let bi = 0; bi < batchesPerEpoch; bi++) {
        if (o.signal?.aborted) {
          stop('aborted', `training was cancelled during epoch ${epoch + 1}`);
          break epochLoop;
        }
        const tb = performance.now();
        const idx = order.slice(bi * o.batchSize, (bi + 1) * o.batchSize);
        const b = makeBatch(source, idx, true);
        const r = trainStep(stepCtx, b, rng.seed());
        disposeBatch(b);
        if (!r.finite) {
          const what = Number.isNaN(r.loss) || Number.isNaN(r.gradNorm2) ? 'NaN' : 'infinite';
          stop(
            'non-finite',
            `loss or gradients became ${what} at epoch ${epoch + 1}, batch ${bi + 1}; stopped, kept the best model (epoch ${earlyStopping.bestEpoch + 1}). Try a lower learning rate.`,
          );
          model.setParams(lastGood);
          break epochLoop;
        }
        const err = addScoreErrors({ ae: 0, se: 0 }, r.scores, b.targets, idx.length);
        sums.loss += r.loss * idx.length;
        sums.ae += err.ae;
        sums.se += err.se;
        sums.n += idx.length;
        sums.correct += r.correct;
        sums.labeled += r.labeled;
        o.onBatchEnd?.({
          epoch: epoch + 1,
          batch: bi + 1,
          batchesPerEpoch,
          loss: r.loss,
          mae: err.ae / idx.length,
          rmse: Math.sqrt(err.se / idx.length),
          exerciseAcc: r.labeled ? r.correct / r.labeled : undefined,
          lr: adam.lr,
          samplesPerSec: idx.length / ((performance.now() - tb) / 1000),
        });
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const trainSeconds = (performance.now() - t0) / 1000;
      const val = hasVal ? evaluate(evalCtx, split.val) : null;
      const n = sums.n;
      const m: EpochMetrics = {
        epoch: epoch + 1,
        loss: sums.loss / n,
        mae: sums.ae / n,
        rmse: Math.sqrt(sums.se / n),
        exerciseAcc: sums.labeled ? sums.correct / sums.labeled : undefined,
        lr: adam.lr,
        samplesPerSec: n / trainSeconds,
        seconds: (performance.now() - t0) / 1000,
        improved: false,
        ...(val ? { valLoss: val.loss, valMae: val.mae, valRmse: val.rmse, valExerciseAcc: val.acc } : {}),
      };
      if (!Number.isFinite(m.loss) || (val && !Number.isFinite(val.mae))) {
        stop(
          'non-finite',
          `metrics became non-finite at epoch ${epoch + 1}; stopped, kept the best model (epoch ${earlyStopping.bestEpoch + 1})`,
        );
        model.setParams(lastGood);
        history.push(m);
        break;
      }
      lastGood = snapshot(vars);
      // Callbacks watch validation MAE, or training MAE when there is no validation set.
      const monitored = val ? val.mae : m.mae;
      m.improved = earlyStopping.onEpochEnd(epoch, monitored);
      if (m.improved) best = lastGood;
      plateau.onEpochEnd(monitored, adam);
      history.push(m);
      await o.onEpochEnd?.(m);
      if (o.onCheckpoint) {
        const es = earlyStopping.state();
        const state = {
          epoch: epoch + 1,
          rngState: rng.state,
          lr: adam.lr,
          adamStep: adam.step,
          bestMae: es.best,
          bestEpoch: es.bestEpoch,
          wait: es.wait,
          lrWait: plateau.state().wait,
          history,
          split,
          numSamples: samples.length,
        };
        await o.onCheckpoint(
          writeCheckpoint(spec, shapes, { params: lastGood, best, optimizer: adam, trainableNames, state }),
          epoch + 1,
        );
      }
      if (earlyStopping.stopTraining) {
        stop(
          'early-stopped',
          `no improvement of ${hasVal ? 'validation' : 'training'} MAE for ${o.patience} epochs; best epoch ${earlyStopping.bestEpoch + 1} (MAE ${earlyStopping.best.toFixed(2)})`,
        );
        break;
      }
      await yieldToEventLoop();
    }
    const { best: bestMae, bestEpoch } = earlyStopping.state();
    if (stopReason === 'completed')
      message = `completed ${o.epochs} epochs; best epoch ${bestEpoch + 1} (MAE ${bestMae.toFixed(2)})`;
    const finalParams = snapshot(vars);
    const bestParams = best ?? finalParams;
    // The classes that had training examples: scoring masks the exercise head to them (older files: unmasked).
    const trainedExercises = numClasses
      ? [
          ...new Set(
            samples.map((s) => s.exercise).filter((e): e is number => e !== undefined && e >= 0 && e < numClasses),
          ),
        ]
          .sort((a, b) => a - b)
          .map((i) => EXERCISE_TYPES[i])
      : undefined;
    return {
      best: {
        spec,
        params: bestParams,
        shapes: { ...shapes },
        metadata: {
          epoch: bestEpoch + 1,
          mae: bestMae,
          monitored: hasVal ? 'valMae' : 'mae',
          ...(trainedExercises ? { trainedExercises } : {}),
        },
      },
      final: {
        spec,
        params: finalParams,
        shapes: { ...shapes },
        metadata: { epoch: history.length, ...(trainedExercises ? { trainedExercises } : {}) },
      },
      bestEpoch: bestEpoch + 1,
      bestMae,
      history,
      stopReason,
      message,
      split,
    };
  } finally {
    adam.dispose();
    model.dispose();
  }
}
