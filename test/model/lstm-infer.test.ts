/**
 * The LSTM inference fast path (lstm-infer.ts) gives the same outputs as the training kernel it replaces at
 * prediction time: on the real Keras fixture models (standard: BiLSTM 256; high accuracy: two stacked BiLSTMs that
 * return sequences, attention) and on random layers of both output kinds.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ScoringModel } from '../../src-shared/model';
import { bilstmFused } from '../../src-shared/model/lstm';
import { bilstmInfer, setLstmInferenceFastPath } from '../../src-shared/model/lstm-infer';
import { importKerasBytes } from '../../src-main/models/keras-file';
import { expected, fixtureBytes, inputs, KERAS_DIR } from '../keras/fixtures';
import { maxAbsDiff, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));
afterEach(() => setLstmInferenceFastPath(true));

const rnd = (shape: number[], seed: number) => tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);

describe('BiLSTM inference fast path', () => {
  it('matches the training kernel on random weights, both output kinds', () => {
    const B = 5,
      T = 7,
      D = 9,
      H = 6;
    const dir = (s: number) => ({
      kernel: rnd([D, 4 * H], s),
      recurrent: rnd([H, 4 * H], s + 1),
      bias: rnd([4 * H], s + 2),
    });
    const fw = dir(1),
      bw = dir(11);
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 4);
    for (const rs of [true, false]) {
      const a = bilstmInfer(x, fw, bw, rs);
      const b = bilstmFused(x, fw, bw, rs);
      expect(a.shape).toEqual(b.shape);
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
      tf.dispose([a, b]);
    }
  });

  for (const file of ['standard.keras', 'high_accuracy.keras'])
    it.skipIf(!KERAS_DIR)(`${file}: predictions with and without the fast path agree within 1e-5`, async () => {
      const e = expected();
      const m = ScoringModel.fromSaved((await importKerasBytes(fixtureBytes(file), file)).saved);
      try {
        // The six Keras inputs, plus the same clips scaled, so batches hold more than one kind of clip.
        const X = inputs(e);
        const clips = [...X, ...X.map((c) => c.map((v) => v * 1.7))];
        setLstmInferenceFastPath(false);
        const ref = m.predict(clips, 5);
        setLstmInferenceFastPath(true);
        const fast = m.predict(clips, 5);
        // Scores are 0–100: 1e-5 on the model's 0–1 output.
        expect(maxAbsDiff(fast.scores, ref.scores) / 100).toBeLessThan(1e-5);
        fast.exerciseProbs!.forEach((p, i) => expect(maxAbsDiff(p, ref.exerciseProbs![i])).toBeLessThan(1e-5));
        // And both still reproduce what Keras computed.
        const want = e.models[file].outputs.quality_score;
        X.forEach((_, i) => expect(Math.abs(fast.scores[i] / 100 - want[i][0])).toBeLessThan(1e-4));
      } finally {
        m.dispose();
      }
    });
});
