/**
 * Both model kinds, random weights, exported in float32 / float16 / int8 and run on LiteRT.js,
 * compared with the tfjs forward (WASM backend) on a real squat clip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { exportTflite, type WeightMode } from '../../src-shared/tflite/exporter';
import { readTflite } from '../../src-shared/tflite/reader';
import { checkScoringSignature } from '../../src-shared/tflite/signature';
import { initLiteRt, loadTflite } from '../../src-main/models/tflite-runtime';
import { MODEL_KINDS } from './archs';
import { randomParams, referenceForward } from './reference';
import { initTfjsWasm, tfjsForward, toTfParams } from './tfjs-forward';
import { squatClip } from './fixtures';
import { expectBuiltinOnly } from './builtin';

const LABELS = ['squat', 'pushup', 'pullup', 'lunge', 'plank', 'burpee', 'jumping_jack', 'mountain_climber', 'situp', 'deadlift', 'bench_press', 'dumbbell_curl', 'overhead_press', 'other'];

beforeAll(async () => {
  await Promise.all([initLiteRt(), initTfjsWasm()]);
}, 60_000);

afterAll(() => {
  tf.disposeVariables();
});

const argmax = (a: ArrayLike<number>) => Array.prototype.indexOf.call(a, Math.max(...Array.from(a)));

for (const [kind, arch] of Object.entries(MODEL_KINDS)) {
  describe(`${kind} model`, () => {
    const params = randomParams(arch, 11);
    const N = arch.numFrames ?? 24;
    const inputs = [squatClip(N).data, squatClip(N, [0, 5, 6, 23]).data];
    let tfjsOut: { score: number; probs: Float32Array }[] = [];
    const sizes: Partial<Record<WeightMode, number>> = {};

    beforeAll(() => {
      const tp = toTfParams(arch, params);
      tfjsOut = inputs.map((x) =>
        tf.tidy(() => {
          const r = tfjsForward(arch, tp, tf.tensor2d(x, [N, 132]));
          return { score: r.score.dataSync()[0], probs: Float32Array.from(r.probs?.dataSync() ?? []) };
        }),
      );
      Object.values(tp).forEach((t) => t.dispose());
      // The tfjs forward itself agrees with the float64 reference.
      const ref = referenceForward(arch, params, inputs[0], N);
      expect(Math.abs(ref.score - tfjsOut[0].score)).toBeLessThan(1e-2);
    });

    const cases: { weights: WeightMode; optimize?: boolean; tol: number }[] = [
      { weights: 'float32', tol: 1e-2 }, // 1e-4 on score/100
      { weights: 'float32', optimize: false, tol: 1e-2 },
      { weights: 'float16', tol: 1e-2 },
      { weights: 'int8', tol: 1 },
    ];
    for (const c of cases) {
      it(`${c.weights}${c.optimize === false ? ' (not optimized)' : ''}: score within ${c.tol} points, same exercise`, async () => {
        const ex = exportTflite(arch, params, { weights: c.weights, optimize: c.optimize, exerciseLabels: LABELS });
        if (c.optimize !== false) sizes[c.weights] = ex.bytes.length;
        expectBuiltinOnly(ex.bytes);
        const check = checkScoringSignature(ex.bytes);
        expect(check.errors).toEqual([]);
        expect(check.formStudio).toMatchObject({ modelKind: kind, numFrames: N, exerciseLabels: LABELS, weights: c.weights });
        if (c.weights === 'float16') expect(ex.ops.DEQUANTIZE).toBeGreaterThan(0);
        if (c.weights === 'int8') {
          const q = readTflite(ex.bytes).subgraphs[0].tensors.filter((t) => t.typeName === 'int8');
          expect(q.length).toBeGreaterThan(0);
          expect(q.every((t) => t.quantization && t.quantization.scale.length === t.shape[0])).toBe(true);
        }
        const m = await loadTflite(ex.bytes);
        try {
          for (let i = 0; i < inputs.length; i++) {
            const out = await m.run({ keypoints: inputs[i] });
            expect(Math.abs(out.outputs.score[0] - tfjsOut[i].score)).toBeLessThan(c.tol);
            expect(argmax(out.outputs.exercise_probs)).toBe(argmax(tfjsOut[i].probs));
            if (c.weights !== 'int8') {
              const dp = Math.max(...Array.from(out.outputs.exercise_probs, (p, j) => Math.abs(p - tfjsOut[i].probs[j])));
              expect(dp).toBeLessThan(c.weights === 'float32' ? 1e-4 : 1e-2);
            }
          }
        } finally {
          m.dispose();
        }
      });
    }

    it('int8 is at most 0.3 × the float32 size, float16 about half', () => {
      expect(sizes.float32).toBeGreaterThan(0);
      expect(sizes.int8 as number).toBeLessThanOrEqual(0.3 * (sizes.float32 as number));
      expect(sizes.float16 as number).toBeLessThanOrEqual(0.55 * (sizes.float32 as number));
    });
  });
}
