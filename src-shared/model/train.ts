/**
 * Training loop: Adam, weighted loss, reduce-on-plateau LR, early stopping on validation MAE, best-model keeping,
 * NaN/Inf guard, AbortSignal cancel, per-batch/per-epoch callbacks, checkpoints + resume, group-aware split.
 *
 * Loss = scoreLossWeight · MSE(σ(scoreLogit), score/100) + exerciseLossWeight · CE(exercise logits, label).
 * The CE weight defaults to 0.1 so the 14-way cross-entropy does not swamp the score regression.
 *
 * The backend is the caller's choice (set it before calling). Everything this creates is disposed before returning
 * (model variables, optimizer slots); results are returned as JS-memory weights (`SavedModel`).
 */
import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type ModelSpec } from './architecture';
import { forward } from './forward';
import type { LstmImpl } from './lstm';
import { ScoringModel } from './model';
import { Rng } from './rng';
import { EXERCISE_TYPES } from '../domain/exercises';
import { deserializeTensors, packFile, serializeTensors, unpackFile, type ParamMap, type SavedModel, type ShapeMap } from './serialize';
import { augmentFrames, type AugmentOptions } from '../keypoints/augment';
import { Adam } from './optim/adam';

export interface TrainingSample {
  /** numFrames × numFeatures values (normalizeVideoKeypoints output). */
  x: Float32Array;
  /** Quality score 0–100. */
  score: number;
  /** Exercise class id (EXERCISE_TYPES index); needed when the spec has an exercise head. */
  exercise?: number;
  /** Group key (source clip, person, session …): samples of one group never straddle train/validation. */
  group: string;
}

export interface BatchMetrics {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  mae: number;
  rmse: number;
  exerciseAcc?: number;
  lr: number;
  samplesPerSec: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  mae: number;
  rmse: number;
  exerciseAcc?: number;
  lr: number;
  valLoss?: number;
  valMae?: number;
  valRmse?: number;
  valExerciseAcc?: number;
  samplesPerSec: number;
  seconds: number;
  /** True when this epoch produced the new best model. */
  improved: boolean;
}

export interface TrainOptions {
  epochs?: number; // 100
  batchSize?: number; // 8
  learningRate?: number; // 1e-4
  /** Early-stopping patience in epochs on the monitored MAE (validation MAE, or training MAE without validation). */
  patience?: number; // 7
  /** Smallest MAE decrease (score points) that counts as an improvement. */
  minDelta?: number; // 0
  /** Reduce-on-plateau: epochs without improvement before lr *= lrFactor. */
  lrPatience?: number; // 3
  lrFactor?: number; // 0.5
  minLr?: number; // 1e-6
  valFraction?: number; // 0.2
  /** Explicit split (sample indices); otherwise `splitByGroup`. */
  split?: DataSplit;
  seed?: number; // 1
  scoreLossWeight?: number; // 1
  exerciseLossWeight?: number; // 0.1
  /** Augmentation of training samples (fresh each epoch); false to disable. Default: disabled. */
  augment?: AugmentOptions | false;
  /** Start from these weights instead of a fresh init (fine-tuning). */
  initialWeights?: SavedModel;
  /** Continue from a checkpoint made by `onCheckpoint` (same spec and samples). */
  resumeFrom?: Uint8Array;
  signal?: AbortSignal;
  onBatchEnd?: (m: BatchMetrics) => void;
  onEpochEnd?: (m: EpochMetrics) => void | Promise<void>;
  /** Called after every epoch with a checkpoint to store (weights + optimizer state + best weights + epoch + rng). */
  onCheckpoint?: (checkpoint: Uint8Array, epoch: number) => void | Promise<void>;
  lstmImpl?: LstmImpl;
}

export type StopReason = 'completed' | 'early-stopped' | 'aborted' | 'non-finite';

export interface TrainResult {
  /** Weights of the epoch with the lowest monitored MAE. */
  best: SavedModel;
  /** Weights at the end (for 'non-finite': the last finite epoch's weights). */
  final: SavedModel;
  bestEpoch: number;
  bestMae: number;
  history: EpochMetrics[];
  stopReason: StopReason;
  message: string;
  split: DataSplit;
}

export interface DataSplit {
  train: number[];
  val: number[];
}

/**
 * Split sample indices by group: whole groups go to validation until ≥ valFraction of the samples are there.
 * With a single group everything is training (no validation).
 */
export function splitByGroup(groups: string[], valFraction = 0.2, seed = 1): DataSplit {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const a = byGroup.get(g);
    if (a) a.push(i);
    else byGroup.set(g, [i]);
  });
  const keys = [...byGroup.keys()].sort();
  new Rng(seed).shuffle(keys);
  const val: number[] = [];
  const train: number[] = [];
  const target = valFraction * groups.length;
  keys.forEach((k, i) => {
    const idx = byGroup.get(k)!;
    const roomForTrain = i < keys.length - 1 || train.length > 0;
    if (val.length < target && valFraction > 0 && keys.length > 1 && roomForTrain && (val.length === 0 || val.length + idx.length <= target * 1.5)) val.push(...idx);
    else train.push(...idx);
  });
  if (train.length === 0 && val.length > 0) return { train: val, val: [] };
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/** True when the samples use more than one exercise type (the exercise head is then useful). */
export function needsExerciseHead(samples: Array<{ exercise?: number }>): boolean {
  return new Set(samples.map((s) => s.exercise).filter((e) => e !== undefined)).size > 1;
}

interface CheckpointState {
  epoch: number; // completed epochs
  rngState: number;
  lr: number;
  adamStep: number;
  bestMae: number;
  bestEpoch: number;
  wait: number;
  lrWait: number;
  history: EpochMetrics[];
  split: DataSplit;
  numSamples: number;
}

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
export async function trainModel(spec: ModelSpec, samples: TrainingSample[], options: TrainOptions = {}): Promise<TrainResult> {
  const o = {
    epochs: 100,
    batchSize: 8,
    learningRate: 1e-4,
    patience: 7,
    minDelta: 0,
    lrPatience: 3,
    lrFactor: 0.5,
    minLr: 1e-6,
    valFraction: 0.2,
    seed: 1,
    scoreLossWeight: 1,
    exerciseLossWeight: 0.1,
    ...options,
  };
  const per = spec.numFrames * spec.numFeatures;
  samples.forEach((s, i) => {
    if (s.x.length !== per) throw new Error(`sample ${i}: ${s.x.length} values, expected ${per}`);
  });
  if (samples.length === 0) throw new Error('no training samples');
  const numClasses = spec.heads.exercise?.numClasses ?? 0;

  const rng = new Rng(o.seed);
  let split = o.split ?? splitByGroup(samples.map((s) => s.group), o.valFraction, o.seed);
  const model = o.initialWeights ? ScoringModel.fromSaved(o.initialWeights) : ScoringModel.create(spec, o.seed);
  if (o.initialWeights && JSON.stringify(o.initialWeights.spec) !== JSON.stringify(spec)) {
    model.dispose();
    throw new Error('initialWeights were made for a different model spec');
  }
  const vars = model.vars;
  const specsByName = new Map(paramSpecs(spec).map((p) => [p.name, p]));
  const trainableNames = Object.keys(vars).filter((n) => specsByName.get(n)!.trainable);
  const varNameToParam = new Map(trainableNames.map((n) => [vars[n].name, n]));
  const adam = new Adam(o.learningRate);
  const shapes = shapesOf(spec);

  let startEpoch = 0;
  let bestMae = Infinity;
  let bestEpoch = -1;
  let wait = 0;
  let lrWait = 0;
  let history: EpochMetrics[] = [];
  let best: ParamMap | null = null;

  if (o.resumeFrom) {
    const { manifest, weights } = unpackFile(o.resumeFrom);
    if (manifest.type !== 'checkpoint') throw new Error('resumeFrom is not a checkpoint');
    if (JSON.stringify(manifest.spec) !== JSON.stringify(spec)) throw new Error('checkpoint was made for a different model spec');
    const st = manifest.extra as unknown as CheckpointState;
    if (st.numSamples !== samples.length) throw new Error(`checkpoint was made with ${st.numSamples} samples, got ${samples.length}`);
    const { params } = deserializeTensors(manifest, weights);
    const cur: ParamMap = {};
    best = {};
    for (const name of Object.keys(vars)) {
      cur[name] = params[name];
      if (params[`best/${name}`]) best[name] = params[`best/${name}`];
    }
    if (Object.keys(best).length === 0) best = null;
    model.setParams(cur);
    for (const name of trainableNames) {
      const m = params[`opt/m/${name}`];
      const v = params[`opt/v/${name}`];
      if (m && v) {
        const mt = tf.tensor(m, vars[name].shape);
        const vt = tf.tensor(v, vars[name].shape);
        adam.m[name] = tf.variable(mt, false);
        adam.v[name] = tf.variable(vt, false);
        mt.dispose();
        vt.dispose();
      }
    }
    adam.step = st.adamStep;
    adam.lr = st.lr;
    rng.state = st.rngState;
    startEpoch = st.epoch;
    bestMae = st.bestMae ?? Infinity;
    bestEpoch = st.bestEpoch;
    wait = st.wait;
    lrWait = st.lrWait;
    history = st.history;
    split = st.split;
  }

  const hasVal = split.val.length > 0;
  const T = spec.numFrames;
  const F = spec.numFeatures;

  const makeBatch = (idx: number[], augment: boolean) => {
    const xb = new Float32Array(idx.length * per);
    const yb = new Float32Array(idx.length);
    const oh = new Float32Array(idx.length * Math.max(1, numClasses));
    const mask = new Float32Array(idx.length);
    idx.forEach((si, i) => {
      const s = samples[si];
      xb.set(augment && o.augment ? augmentFrames(s.x, T, rng, o.augment) : s.x, i * per);
      yb[i] = s.score / 100;
      if (numClasses && s.exercise !== undefined && s.exercise >= 0 && s.exercise < numClasses) {
        oh[i * numClasses + s.exercise] = 1;
        mask[i] = 1;
      }
    });
    return {
      x: tf.tensor3d(xb, [idx.length, T, F]),
      y: tf.tensor1d(yb),
      oneHot: numClasses ? tf.tensor2d(oh, [idx.length, numClasses]) : null,
      mask: tf.tensor1d(mask),
      targets: yb,
      labels: idx.map((si) => samples[si].exercise ?? -1),
    };
  };

  const lossOf = (r: ReturnType<typeof forward>, y: tf.Tensor, oneHot: tf.Tensor | null, mask: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      let loss = tf.mul(tf.mean(tf.square(tf.sub(tf.sigmoid(r.scoreLogit), y))), o.scoreLossWeight) as tf.Scalar;
      if (oneHot && r.exerciseLogits && o.exerciseLossWeight > 0) {
        const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(r.exerciseLogits)), 1));
        const ceMean = tf.div(tf.sum(tf.mul(ce, mask)), tf.maximum(tf.sum(mask), 1));
        loss = tf.add(loss, tf.mul(ceMean, o.exerciseLossWeight));
      }
      return loss;
    });

  const evaluate = (idx: number[]) => {
    let lossSum = 0;
    const preds: number[] = [];
    const targets: number[] = [];
    let correct = 0;
    let labeled = 0;
    for (let s = 0; s < idx.length; s += o.batchSize) {
      const bi = idx.slice(s, s + o.batchSize);
      const b = makeBatch(bi, false);
      const { loss, score, probs } = tf.tidy(() => {
        const r = forward(spec, vars, b.x, { training: false, lstmImpl: o.lstmImpl });
        return { loss: lossOf(r, b.y, b.oneHot, b.mask), score: r.score, probs: r.exerciseProbs };
      });
      lossSum += (loss.dataSync()[0] as number) * bi.length;
      const sc = score.dataSync();
      bi.forEach((_, i) => {
        preds.push(sc[i]);
        targets.push(b.targets[i] * 100);
      });
      if (probs) {
        const p = probs.dataSync();
        b.labels.forEach((lab, i) => {
          if (lab < 0) return;
          labeled++;
          let am = 0;
          for (let k = 1; k < numClasses; k++) if (p[i * numClasses + k] > p[i * numClasses + am]) am = k;
          if (am === lab) correct++;
        });
      }
      tf.dispose([loss, score, b.x, b.y, b.mask, ...(probs ? [probs] : []), ...(b.oneHot ? [b.oneHot] : [])]);
    }
    let ae = 0;
    let se = 0;
    preds.forEach((p, i) => {
      ae += Math.abs(p - targets[i]);
      se += (p - targets[i]) ** 2;
    });
    return {
      loss: lossSum / idx.length,
      mae: ae / idx.length,
      rmse: Math.sqrt(se / idx.length),
      acc: labeled ? correct / labeled : undefined,
    };
  };

  const makeCheckpoint = (epoch: number, lastGood: ParamMap): Uint8Array => {
    const params: ParamMap = { ...lastGood };
    const sh: ShapeMap = { ...shapes };
    for (const name of trainableNames) {
      if (adam.m[name]) {
        params[`opt/m/${name}`] = adam.m[name].dataSync() as Float32Array;
        params[`opt/v/${name}`] = adam.v[name].dataSync() as Float32Array;
        sh[`opt/m/${name}`] = sh[`opt/v/${name}`] = shapes[name];
      }
    }
    if (best) for (const [k, v] of Object.entries(best)) {
      params[`best/${k}`] = v;
      sh[`best/${k}`] = shapes[k];
    }
    const state: CheckpointState = {
      epoch,
      rngState: rng.state,
      lr: adam.lr,
      adamStep: adam.step,
      bestMae,
      bestEpoch,
      wait,
      lrWait,
      history,
      split,
      numSamples: samples.length,
    };
    const { manifest, weights } = serializeTensors(spec, params, sh, { type: 'checkpoint', extra: state as unknown as Record<string, unknown> });
    return packFile(manifest, weights);
  };

  let stopReason: StopReason = 'completed';
  let message = '';
  let lastGood: ParamMap = snapshot(vars);
  const batchesPerEpoch = Math.ceil(split.train.length / o.batchSize);

  try {
    epochLoop: for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      if (o.signal?.aborted) {
        stopReason = 'aborted';
        message = 'training was cancelled';
        break;
      }
      const t0 = performance.now();
      const order = rng.shuffle(split.train.slice());
      let sumLoss = 0;
      let sumAe = 0;
      let sumSe = 0;
      let n = 0;
      let correct = 0;
      let labeled = 0;
      let lastYield = performance.now();
      for (let bi = 0; bi < batchesPerEpoch; bi++) {
        if (o.signal?.aborted) {
          stopReason = 'aborted';
          message = `training was cancelled during epoch ${epoch + 1}`;
          break epochLoop;
        }
        const tb = performance.now();
        const idx = order.slice(bi * o.batchSize, (bi + 1) * o.batchSize);
        const b = makeBatch(idx, true);
        const seed = rng.seed();
        const kept: tf.Tensor[] = [];
        let score!: tf.Tensor;
        let probs: tf.Tensor | undefined;
        let bnStats: ReturnType<typeof forward>['bnStats'] = [];
        const { value: loss, grads } = tf.variableGrads(() => {
          const r = forward(spec, vars, b.x, { training: true, seed, lstmImpl: o.lstmImpl });
          score = tf.keep(r.score);
          probs = r.exerciseProbs ? tf.keep(r.exerciseProbs) : undefined;
          bnStats = r.bnStats.map((s) => ({ name: s.name, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
          kept.push(score, ...(probs ? [probs] : []), ...bnStats.flatMap((s) => [s.mean, s.variance]));
          return lossOf(r, b.y, b.oneHot, b.mask);
        }, trainableNames.map((nm) => vars[nm]));
        const named: Record<string, tf.Tensor> = {};
        for (const [vn, g] of Object.entries(grads)) named[varNameToParam.get(vn)!] = g;
        const gnorm = tf.tidy(() => tf.addN(Object.values(named).map((g) => tf.sum(tf.square(g)))));
        const lossV = loss.dataSync()[0] as number;
        const gV = gnorm.dataSync()[0] as number;
        const sc = score.dataSync();
        const finite = Number.isFinite(lossV) && Number.isFinite(gV);
        if (finite) {
          adam.apply(vars, named);
          tf.tidy(() => {
            for (const st of bnStats) {
              const l = spec.layers.find((x) => x.kind === 'batchNorm' && x.name === st.name);
              const mom = l && l.kind === 'batchNorm' ? l.momentum : 0.99;
              const mm = vars[`${st.name}/moving_mean`];
              const mv = vars[`${st.name}/moving_variance`];
              mm.assign(tf.add(tf.mul(mm, mom), tf.mul(st.mean, 1 - mom)));
              mv.assign(tf.add(tf.mul(mv, mom), tf.mul(st.variance, 1 - mom)));
            }
          });
        }
        let bCorrect = 0;
        let bLabeled = 0;
        if (probs) {
          const p = probs.dataSync();
          b.labels.forEach((lab, i) => {
            if (lab < 0) return;
            bLabeled++;
            let am = 0;
            for (let k = 1; k < numClasses; k++) if (p[i * numClasses + k] > p[i * numClasses + am]) am = k;
            if (am === lab) bCorrect++;
          });
        }
        tf.dispose([loss, gnorm, ...Object.values(grads), ...kept, b.x, b.y, b.mask, ...(b.oneHot ? [b.oneHot] : [])]);
        if (!finite) {
          stopReason = 'non-finite';
          message = `loss or gradients became ${Number.isNaN(lossV) || Number.isNaN(gV) ? 'NaN' : 'infinite'} at epoch ${epoch + 1}, batch ${bi + 1}; stopped, kept the best model (epoch ${bestEpoch + 1}). Try a lower learning rate.`;
          model.setParams(lastGood);
          break epochLoop;
        }
        let bAe = 0;
        let bSe = 0;
        idx.forEach((_, i) => {
          const e = sc[i] - b.targets[i] * 100;
          bAe += Math.abs(e);
          bSe += e * e;
        });
        sumLoss += lossV * idx.length;
        sumAe += bAe;
        sumSe += bSe;
        n += idx.length;
        correct += bCorrect;
        labeled += bLabeled;
        o.onBatchEnd?.({
          epoch: epoch + 1,
          batch: bi + 1,
          batchesPerEpoch,
          loss: lossV,
          mae: bAe / idx.length,
          rmse: Math.sqrt(bSe / idx.length),
          exerciseAcc: bLabeled ? bCorrect / bLabeled : undefined,
          lr: adam.lr,
          samplesPerSec: idx.length / ((performance.now() - tb) / 1000),
        });
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const trainSeconds = (performance.now() - t0) / 1000;
      const val = hasVal ? evaluate(split.val) : null;
      const m: EpochMetrics = {
        epoch: epoch + 1,
        loss: sumLoss / n,
        mae: sumAe / n,
        rmse: Math.sqrt(sumSe / n),
        exerciseAcc: labeled ? correct / labeled : undefined,
        lr: adam.lr,
        samplesPerSec: n / trainSeconds,
        seconds: (performance.now() - t0) / 1000,
        improved: false,
        ...(val ? { valLoss: val.loss, valMae: val.mae, valRmse: val.rmse, valExerciseAcc: val.acc } : {}),
      };
      if (!Number.isFinite(m.loss) || (val && !Number.isFinite(val.mae))) {
        stopReason = 'non-finite';
        message = `metrics became non-finite at epoch ${epoch + 1}; stopped, kept the best model (epoch ${bestEpoch + 1})`;
        model.setParams(lastGood);
        history.push(m);
        break;
      }
      lastGood = snapshot(vars);
      const monitored = val ? val.mae : m.mae;
      if (monitored < bestMae - o.minDelta) {
        bestMae = monitored;
        bestEpoch = epoch;
        best = lastGood;
        wait = 0;
        lrWait = 0;
        m.improved = true;
      } else {
        wait++;
        lrWait++;
        if (lrWait >= o.lrPatience && adam.lr > o.minLr) {
          adam.lr = Math.max(o.minLr, adam.lr * o.lrFactor);
          lrWait = 0;
        }
      }
      history.push(m);
      await o.onEpochEnd?.(m);
      if (o.onCheckpoint) await o.onCheckpoint(makeCheckpoint(epoch + 1, lastGood), epoch + 1);
      if (wait >= o.patience) {
        stopReason = 'early-stopped';
        message = `no improvement of ${hasVal ? 'validation' : 'training'} MAE for ${o.patience} epochs; best epoch ${bestEpoch + 1} (MAE ${bestMae.toFixed(2)})`;
        break;
      }
      await yieldToEventLoop();
    }
    if (stopReason === 'completed') message = `completed ${o.epochs} epochs; best epoch ${bestEpoch + 1} (MAE ${bestMae.toFixed(2)})`;
    const finalParams = snapshot(vars);
    const bestParams = best ?? finalParams;
    // The classes that had training examples: scoring masks the exercise head to them (older files: unmasked).
    const trainedExercises = numClasses ? [...new Set(samples.map((s) => s.exercise).filter((e): e is number => e !== undefined && e >= 0 && e < numClasses))].sort((a, b) => a - b).map((i) => EXERCISE_TYPES[i]) : undefined;
    return {
      best: { spec, params: bestParams, shapes: { ...shapes }, metadata: { epoch: bestEpoch + 1, mae: bestMae, monitored: hasVal ? 'valMae' : 'mae', ...(trainedExercises ? { trainedExercises } : {}) } },
      final: { spec, params: finalParams, shapes: { ...shapes }, metadata: { epoch: history.length, ...(trainedExercises ? { trainedExercises } : {}) } },
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
