/** Metrics of a batch (score errors, exercise hits) and evaluation of a sample set with the current weights. */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../architecture';
import { forward } from '../forward';
import type { LstmImpl } from '../lstm';
import { argmax } from '../metrics';
import { makeBatch, disposeBatch, type BatchSource } from './batch';
import { scoringLoss, type LossWeights } from './loss';

/** Running sums of absolute and squared score errors, in score points. */
export interface ErrorSums {
  ae: number;
  se: number;
}

/** Adds the errors of `scores` (0–100) against `targets` (0–1) to `acc`, element by element. */
export function addScoreErrors(
  acc: ErrorSums,
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
): ErrorSums {
  for (let i = 0; i < n; i++) {
    const e = scores[i] - targets[i] * 100;
    acc.ae += Math.abs(e);
    acc.se += e * e;
  }
  return acc;
}

/** Correct top-1 exercise predictions among the labelled samples (label < 0: unlabelled, not counted). */
export function exerciseHits(
  probs: Float32Array,
  labels: number[],
  numClasses: number,
): { correct: number; labeled: number } {
  let correct = 0;
  let labeled = 0;
  labels.forEach((lab, i) => {
    if (lab < 0) return;
    labeled++;
    if (argmax(probs.subarray(i * numClasses, (i + 1) * numClasses)) === lab) correct++;
  });
  return { correct, labeled };
}

export interface EvalContext {
  source: BatchSource;
  vars: Record<string, tf.Variable>;
  batchSize: number;
  loss: LossWeights;
  lstmImpl?: LstmImpl;
}

export interface EvalResult {
  loss: number;
  mae: number;
  rmse: number;
  /** Exercise accuracy over labelled samples; undefined without an exercise head or labels. */
  acc?: number;
}

/** Inference-mode metrics over the samples `idx` (no augmentation, no dropout, BatchNorm moving statistics). */
export function evaluate(ctx: EvalContext, idx: number[]): EvalResult {
  const spec: ModelSpec = ctx.source.spec;
  let lossSum = 0;
  const errors: ErrorSums = { ae: 0, se: 0 };
  let correct = 0;
  let labeled = 0;
  for (let s = 0; s < idx.length; s += ctx.batchSize) {
    const bi = idx.slice(s, s + ctx.batchSize);
    const b = makeBatch(ctx.source, bi, false);
    const { loss, score, probs } = tf.tidy(() => {
      const r = forward(spec, ctx.vars, b.x, { training: false, inference: true, lstmImpl: ctx.lstmImpl });
      return { loss: scoringLoss(r, b, ctx.loss), score: r.score, probs: r.exerciseProbs };
    });
    lossSum += (loss.dataSync()[0] as number) * bi.length;
    addScoreErrors(errors, score.dataSync(), b.targets, bi.length);
    if (probs) {
      const hits = exerciseHits(probs.dataSync() as Float32Array, b.labels, ctx.source.numClasses);
      correct += hits.correct;
      labeled += hits.labeled;
    }
    tf.dispose([loss, score, ...(probs ? [probs] : [])]);
    disposeBatch(b);
  }
  return {
    loss: lossSum / idx.length,
    mae: errors.ae / idx.length,
    rmse: Math.sqrt(errors.se / idx.length),
    acc: labeled ? correct / labeled : undefined,
  };
}
