/**
 * Keras models made by real Keras come in exactly: the imported model (tfjs) and the TFLite exported from it
 * (LiteRT.js, builtin ops only) reproduce the outputs Keras computed, within 1e-4 on the 0–1 score, same argmax.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoringModel } from '../../src-shared/model';
import { exportTflite } from '../../src-shared/tflite/exporter';
import { importKerasBytes } from '../../src-main/models/keras-file';
import { initLiteRt, loadTflite } from '../../src-main/models/tflite-runtime';
import { useBackend } from '../model/helpers';
import { expectBuiltinOnly } from '../tflite/builtin';
import { argmax, expected, fixtureBytes, inputs, KERAS_DIR } from './fixtures';

const E = KERAS_DIR ? expected() : null;

beforeAll(async () => {
  await useBackend('wasm');
  await initLiteRt();
}, 60_000);

const CASES: Array<{ file: string; score: string; exercise?: string; sigmoid: boolean }> = [
  { file: 'standard.keras', score: 'quality_score', exercise: 'exercise_type', sigmoid: true },
  { file: 'standard.h5', score: 'quality_score', exercise: 'exercise_type', sigmoid: true },
  { file: 'standard_single.keras', score: 'score', sigmoid: false },
  { file: 'high_accuracy.keras', score: 'quality_score', exercise: 'exercise_type', sigmoid: true },
];

describe.skipIf(!E)('Keras import reproduces Keras', () => {
  const models: ScoringModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));

  for (const c of CASES) {
    it(`${c.file}: imported model and its exported TFLite match Keras`, async () => {
      const e = E!;
      const want = e.models[c.file].outputs;
      const imp = await importKerasBytes(fixtureBytes(c.file), c.file);
      const { spec, metadata } = imp.saved;
      expect(spec.numFrames).toBe(24);
      expect(spec.heads.score.activation).toBe(c.sigmoid ? 'sigmoid' : 'linear');
      // A sigmoid head is shown ×100; a linear one as is.
      const scale = c.sigmoid ? 100 : 1;
      expect(spec.heads.score.scale).toBe(scale);
      if (c.exercise) expect(metadata?.exerciseLabels).toEqual(e.exercise_types_in_guide_order);
      else expect(spec.heads.exercise).toBeUndefined();

      const X = inputs(e);
      const m = ScoringModel.fromSaved(imp.saved);
      models.push(m);
      const pred = m.predict(X);
      let worst = 0;
      X.forEach((_, i) => {
        worst = Math.max(worst, Math.abs(pred.scores[i] / scale - want[c.score][i][0]));
        if (c.exercise) {
          const p = pred.exerciseProbs![i];
          expect(argmax(p)).toBe(argmax(want[c.exercise][i]));
          p.forEach((v, k) => expect(Math.abs(v - want[c.exercise!][i][k])).toBeLessThan(1e-4));
        }
      });
      expect(worst).toBeLessThan(1e-4);

      const out = exportTflite(spec, imp.saved.params, {
        exerciseLabels: metadata?.exerciseLabels as string[] | undefined,
      });
      expectBuiltinOnly(out.bytes);
      const t = await loadTflite(out.bytes);
      try {
        for (let i = 0; i < X.length; i++) {
          const r = await t.run({ keypoints: X[i] });
          expect(Math.abs(r.outputs.score[0] / scale - want[c.score][i][0])).toBeLessThan(1e-4);
          if (c.exercise) {
            expect(argmax(r.outputs.exercise_probs)).toBe(argmax(want[c.exercise][i]));
            r.outputs.exercise_probs.forEach((v, k) =>
              expect(Math.abs(v - want[c.exercise!][i][k])).toBeLessThan(1e-4),
            );
          }
        }
      } finally {
        t.dispose();
      }
    }, 180_000);
  }

  it('--score-scale overrides the head scale', async () => {
    const imp = await importKerasBytes(fixtureBytes('standard_single.keras'), 'standard_single.keras', {
      scoreScale: 10,
    });
    expect(imp.saved.spec.heads.score.scale).toBe(10);
  });
});
