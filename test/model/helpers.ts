import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelSpec } from '../../src-shared/model/architecture';
import { Rng } from '../../src-shared/model/rng';
import type { TrainingSample } from '../../src-shared/model/train';

export async function useBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

/** A tiny model of the same shape family, for fast tests. */
export function tinySpec(numFrames = 8, exercise = true): ModelSpec {
  return {
    irVersion: 1,
    kind: 'tiny',
    numFrames,
    numFeatures: 132,
    layers: [
      { kind: 'bilstm', name: 'bilstm1', units: 8, returnSequences: false },
      { kind: 'dense', name: 'dense1', units: 16, activation: 'relu' },
    ],
    heads: exercise
      ? { score: { name: 'score' }, exercise: { name: 'exercise', numClasses: 14 } }
      : { score: { name: 'score' } },
  };
}

/** Learnable synthetic task: amplitude of a sine on a few features → score; frequency → exercise class. */
export function syntheticSamples(n: number, numFrames: number, seed = 3, groupsOf = 2): TrainingSample[] {
  const rng = new Rng(seed);
  const out: TrainingSample[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const cls = rng.int(2);
    const x = new Float32Array(numFrames * 132);
    for (let t = 0; t < numFrames; t++) {
      for (let k = 0; k < 132; k += 4) {
        x[t * 132 + k] = a * Math.sin((2 * Math.PI * (cls + 1) * t) / numFrames + k) + 0.05 * rng.normal();
        x[t * 132 + k + 1] = 0.1 * rng.normal();
        x[t * 132 + k + 3] = 0.9;
      }
    }
    out.push({ x, score: 20 + 60 * a, exercise: cls, group: `g${Math.floor(i / groupsOf)}` });
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
