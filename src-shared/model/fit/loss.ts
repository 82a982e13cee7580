/**
 * Loss = scoreLossWeight · MSE(σ(scoreLogit), score/100) + exerciseLossWeight · CE(exercise logits, label).
 * The CE weight defaults to 0.1 so the 14-way cross-entropy does not swamp the score regression; samples without
 * an exercise label are masked out of the CE mean.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardResult } from '../forward';
import type { Batch } from './batch';

export interface LossWeights {
  scoreLossWeight: number;
  exerciseLossWeight: number;
}

export function scoringLoss(r: ForwardResult, b: Pick<Batch, 'y' | 'oneHot' | 'mask'>, w: LossWeights): tf.Scalar {
  return tf.tidy(() => {
    let loss = tf.mul(tf.mean(tf.square(tf.sub(tf.sigmoid(r.scoreLogit), b.y))), w.scoreLossWeight) as tf.Scalar;
    if (b.oneHot && r.exerciseLogits && w.exerciseLossWeight > 0) {
      const ce = tf.neg(tf.sum(tf.mul(b.oneHot, tf.logSoftmax(r.exerciseLogits)), 1));
      const ceMean = tf.div(tf.sum(tf.mul(ce, b.mask)), tf.maximum(tf.sum(b.mask), 1));
      loss = tf.add(loss, tf.mul(ceMean, w.exerciseLossWeight));
    }
    return loss;
  });
}
