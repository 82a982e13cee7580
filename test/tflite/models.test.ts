/**
 * Both model kinds of src-shared/model/architecture.ts with random weights (non-zero biases and BN statistics,
 * so folding is exercised), exported as float32 / float16 / int8 and run on LiteRT.js, compared with the app's
 * tfjs forward (src-shared/model/forward.ts, WASM backend) on a real squat clip (and the same clip with
 * missing frames).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { forward } from '../../src-shared/model/forward';
import { paramSpecs } from '../../src-shared/model/architecture';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';
import { exportTflite, toExportArchitecture, type WeightMode } from '../../src-shared/tflite/exporter';
import { readTflite } from '../../src-shared/tflite/reader';
import { checkScoringSignature } from '../../src-shared/tflite/signature';
import { initLiteRt, loadTflite } from '../../src-main/models/tflite-runtime';
import { MODEL_SPECS } from './archs';
import { randomParams, referenceForward } from './reference';
import { initTfjsWasm } from './tfjs-backend';
import { squatClip } from './fixtures';
import { expectBuiltinOnly } from './builtin';

beforeAll(async () => {
  await Promise.all([initLiteRt(), initTfjsWasm()]);
}, 60_000);

afterAll(() => {
  tf.disposeVariables();
});

const argmax = (a: ArrayLike<number>) => Array.prototype.indexOf.call(a, Math.max(...Array.from(a)));

for (const [kind, spec] of Object.entries(MODEL_SPECS)) {
  describe(`${kind} model`, () => {
    const arch = toExportArchitecture(spec);
    const params = randomParams(arch, 11);
    const N = spec.numFrames;
    const inputs = [squatClip(N).data, squatClip(N, [0, 5, 6, N - 1]).data];
    let tfjsOut: { score: number; probs: Float32Array }[] = [];
    const sizes: Partial<Record<WeightMode, number>> = {};

    beforeAll(() => {
      const shapes = Object.fromEntries(paramSpecs(spec).map((p) => [p.name, p.shape]));
      expect(Object.keys(params).sort()).toEqual(Object.keys(shapes).sort());
      const tp: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(params)) tp[k] = tf.tensor(v, shapes[k]);
      tfjsOut = inputs.map((x) =>
        tf.tidy(() => {
          const r = forward(spec, tp, tf.tensor3d(x, [1, N, 132]));
          return { score: r.score.dataSync()[0], probs: Float32Array.from(r.exerciseProbs?.dataSync() ?? []) };
        }),
      );
      Object.values(tp).forEach((t) => t.dispose());
      // The app's tfjs forward agrees with the independent float64 reference (checks the test set-up itself).
      const ref = referenceForward(arch, params, inputs[0], N);
      expect(Math.abs(ref.score - tfjsOut[0].score)).toBeLessThan(1e-2);
    }, 60_000);

    const cases: { weights: WeightMode; optimize?: boolean; tol: number }[] = [
      { weights: 'float32', tol: 1e-2 }, // 1e-4 on score/100
      { weights: 'float32', optimize: false, tol: 1e-2 },
      { weights: 'float16', tol: 1e-2 },
      { weights: 'int8', tol: 1 },
    ];
    for (const c of cases) {
      it(`${c.weights}${c.optimize === false ? ' (not optimized)' : ''}: score within ${c.tol} points, same exercise`, async () => {
        const ex = exportTflite(spec, params, { weights: c.weights, optimize: c.optimize });
        if (c.optimize !== false) sizes[c.weights] = ex.bytes.length;
        expectBuiltinOnly(ex.bytes);
        const check = checkScoringSignature(ex.bytes);
        expect(check.errors).toEqual([]);
        expect(check.formStudio).toMatchObject({
          modelKind: kind,
          numFrames: N,
          exerciseLabels: [...EXERCISE_TYPES],
          weights: c.weights,
        });
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
              const dp = Math.max(
                ...Array.from(out.outputs.exercise_probs, (p, j) => Math.abs(p - tfjsOut[i].probs[j])),
              );
              expect(dp).toBeLessThan(c.weights === 'float32' ? 1e-4 : 1e-2);
            }
          }
        } finally {
          m.dispose();
        }
      }, 60_000);
    }

    it('int8 is at most 0.3 × the float32 size, float16 about half', () => {
      expect(sizes.float32).toBeGreaterThan(0);
      expect(sizes.int8 as number).toBeLessThanOrEqual(0.3 * (sizes.float32 as number));
      expect(sizes.float16 as number).toBeLessThanOrEqual(0.55 * (sizes.float32 as number));
    });
  });
}

describe('score-only model (one exercise type)', () => {
  it('has no exercise_probs output and still passes the signature check', async () => {
    const spec = { ...MODEL_SPECS.standard, heads: { score: { name: 'score' as const } } };
    const arch = toExportArchitecture(spec);
    const params = randomParams(arch, 5);
    const ex = exportTflite(spec, params);
    const c = checkScoringSignature(ex.bytes);
    expect(c.ok).toBe(true);
    expect(c.probsOutput).toBeUndefined();
    const m = await loadTflite(ex.bytes);
    const x = squatClip(24).data;
    const out = await m.run({ keypoints: x });
    m.dispose();
    expect(Object.keys(out.outputs)).toEqual(['score']);
    expect(Math.abs(out.outputs.score[0] - referenceForward(arch, params, x, 24).score)).toBeLessThan(1e-2);
  });
});
