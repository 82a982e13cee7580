/**
 * The IR layers added for Keras import (dense activations, layer norm, rescale, flatten, attention without
 * residual, a linear score head with its own scale): the tfjs forward pass and the exported TFLite (LiteRT.js,
 * builtin ops only) compute the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringModel, initParams, type ModelSpec } from '../../src-shared/model';
import { exportTflite } from '../../src-shared/tflite/exporter';
import { initLiteRt, loadTflite, type LoadedTflite } from '../../src-main/models/tflite-runtime';
import { useBackend } from '../model/helpers';
import { expectBuiltinOnly } from './builtin';
import { rng } from './reference';

const spec = (activation: string): ModelSpec => ({
  irVersion: 1,
  kind: 'test',
  numFrames: 6,
  numFeatures: 132,
  layers: [
    { kind: 'rescale', scale: 0.5, offset: 0.1 },
    { kind: 'dense', name: 'd0', units: 16, activation: activation as 'relu' },
    { kind: 'attention', name: 'att', heads: 2, keyDim: 4, residual: false },
    { kind: 'layerNorm', name: 'ln', epsilon: 1e-3 },
    { kind: 'flatten' },
    { kind: 'dense', name: 'd1', units: 8, activation: activation as 'relu' },
  ],
  heads: { score: { name: 'score', activation: 'linear', scale: 3 }, exercise: { name: 'exercise', numClasses: 3 } },
});

const loaded: LoadedTflite[] = [];
beforeAll(async () => {
  await useBackend('cpu');
  await initLiteRt();
}, 60_000);
afterAll(() => loaded.forEach((m) => m.dispose()));

describe('new IR layers: tfjs = TFLite', () => {
  for (const act of ['relu', 'relu6', 'linear', 'sigmoid', 'tanh', 'silu', 'elu', 'exponential', 'softmax']) {
    it(act, async () => {
      const s = spec(act);
      const { params, shapes } = initParams(s, 5);
      // Non-trivial layer-norm parameters.
      const r = rng(9);
      params['ln/gamma'] = params['ln/gamma'].map(() => 0.5 + r());
      params['ln/beta'] = params['ln/beta'].map(() => r() - 0.5);
      const m = ScoringModel.fromSaved({ spec: s, params, shapes });
      const x = Float32Array.from({ length: 6 * 132 }, () => r() * 2 - 1);
      const want = m.predict(x);
      m.dispose();
      const out = exportTflite(s, params);
      expectBuiltinOnly(out.bytes);
      const t = await loadTflite(out.bytes);
      loaded.push(t);
      const got = await t.run({ keypoints: x });
      expect(Math.abs(got.outputs.score[0] - want.scores[0])).toBeLessThan(1e-4);
      got.outputs.exercise_probs.forEach((v, k) => expect(Math.abs(v - want.exerciseProbs![0][k])).toBeLessThan(1e-5));
    });
  }
});
