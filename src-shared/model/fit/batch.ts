/** Mini-batches: samples → input, target and exercise one-hot tensors (with optional fresh augmentation). */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../architecture';
import type { Rng } from '../rng';
import { augmentFrames, type AugmentOptions } from '../../keypoints/augment';
import type { TrainingSample } from './types';

export interface Batch {
  x: tf.Tensor3D;
  /** Scores on the 0–1 scale (the sigmoid's range). */
  y: tf.Tensor1D;
  /** Exercise one-hot [B, classes]; null without an exercise head. */
  oneHot: tf.Tensor2D | null;
  /** 1 where the sample has a usable exercise label (the cross-entropy ignores the others). */
  mask: tf.Tensor1D;
  /** `y` in JS memory. */
  targets: Float32Array;
  /** Exercise class per sample, -1 when unknown. */
  labels: number[];
}

export interface BatchSource {
  spec: ModelSpec;
  samples: TrainingSample[];
  numClasses: number;
  /** Drawn from in sample order, so a run is reproducible from the rng state alone. */
  rng: Rng;
  augment?: AugmentOptions | false;
}

export function makeBatch(src: BatchSource, idx: number[], augment: boolean): Batch {
  const { spec, samples, numClasses } = src;
  const T = spec.numFrames;
  const F = spec.numFeatures;
  const per = T * F;
  const xb = new Float32Array(idx.length * per);
  const yb = new Float32Array(idx.length);
  const oh = new Float32Array(idx.length * Math.max(1, numClasses));
  const mask = new Float32Array(idx.length);
  idx.forEach((si, i) => {
    const s = samples[si];
    xb.set(augment && src.augment ? augmentFrames(s.x, T, src.rng, src.augment) : s.x, i * per);
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
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.x, b.y, b.mask, ...(b.oneHot ? [b.oneHot] : [])]);
}
