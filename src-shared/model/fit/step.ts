/**
 * One optimizer step on one batch: gradients of the loss, a finiteness check (a NaN/Inf step is not applied),
 * Adam update, and the BatchNorm moving-average update from the batch statistics.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../architecture';
import { forward, type ForwardResult } from '../forward';
import type { LstmImpl } from '../lstm';
import type { Adam } from '../optim/adam';
import type { Batch } from './batch';
import { exerciseHits } from './evaluate';
import { scoringLoss, type LossWeights } from './loss';

export interface StepContext {
  spec: ModelSpec;
  vars: Record<string, tf.Variable>;
  /** Parameter names the optimizer updates (BatchNorm moving statistics are not trainable). */
  trainableNames: string[];
  optimizer: Adam;
  loss: LossWeights;
  numClasses: number;
  lstmImpl?: LstmImpl;
}

export interface StepResult {
  loss: number;
  gradNorm2: number;
  /** False when the loss or the gradients were NaN/Inf; the weights are then left unchanged. */
  finite: boolean;
  /** Predicted scores 0–100 (training mode). */
  scores: Float32Array;
  correct: number;
  labeled: number;
}

export function trainStep(ctx: StepContext, b: Batch, dropoutSeed: number): StepResult {
  const { spec, vars } = ctx;
  // tf names variables uniquely; grads come back keyed by those names, the optimizer wants parameter names
  const paramOf = new Map(ctx.trainableNames.map((n) => [vars[n].name, n]));
  const kept: tf.Tensor[] = [];
  let score!: tf.Tensor;
  let probs: tf.Tensor | undefined;
  let bnStats: ForwardResult['bnStats'] = [];
  const { value: loss, grads } = tf.variableGrads(
    () => {
      const r = forward(spec, vars, b.x, { training: true, seed: dropoutSeed, lstmImpl: ctx.lstmImpl });
      score = tf.keep(r.score);
      probs = r.exerciseProbs ? tf.keep(r.exerciseProbs) : undefined;
      bnStats = r.bnStats.map((s) => ({ name: s.name, mean: tf.keep(s.mean), variance: tf.keep(s.variance) }));
      kept.push(score, ...(probs ? [probs] : []), ...bnStats.flatMap((s) => [s.mean, s.variance]));
      return scoringLoss(r, b, ctx.loss);
    },
    ctx.trainableNames.map((nm) => vars[nm]),
  );
  const named: Record<string, tf.Tensor> = {};
  for (const [vn, g] of Object.entries(grads)) named[paramOf.get(vn)!] = g;
  const gnorm = tf.tidy(() => tf.addN(Object.values(named).map((g) => tf.sum(tf.square(g)))));
  const lossV = loss.dataSync()[0] as number;
  const gV = gnorm.dataSync()[0] as number;
  const scores = score.dataSync() as Float32Array;
  const finite = Number.isFinite(lossV) && Number.isFinite(gV);
  if (finite) {
    ctx.optimizer.apply(vars, named);
    updateMovingStats(spec, vars, bnStats);
  }
  const hits = probs
    ? exerciseHits(probs.dataSync() as Float32Array, b.labels, ctx.numClasses)
    : { correct: 0, labeled: 0 };
  tf.dispose([loss, gnorm, ...Object.values(grads), ...kept]);
  return { loss: lossV, gradNorm2: gV, finite, scores, ...hits };
}

/** moving = momentum · moving + (1 − momentum) · batch statistic, per BatchNorm layer (Keras semantics). */
function updateMovingStats(
  spec: ModelSpec,
  vars: Record<string, tf.Variable>,
  bnStats: ForwardResult['bnStats'],
): void {
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
