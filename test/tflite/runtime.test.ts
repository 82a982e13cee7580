/**
 * Tiny graphs run on LiteRT.js (CPU/WASM, in Node) against direct TS computations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src-shared/tflite/graph';
import { TensorType } from '../../src-shared/tflite/schema';
import { toFloat16 } from '../../src-shared/tflite/quantize';
import { writeTflite } from '../../src-shared/tflite/writer';
import { expectBuiltinOnly } from './builtin';
import { exportTflite, type ExportArchitecture } from '../../src-shared/tflite/exporter';
import {
  checkScoringSignature,
  initLiteRt,
  loadTflite,
  scoreClip,
  type LoadedTflite,
} from '../../src-main/models/tflite-runtime';
import { randomParams, referenceForward, rng } from './reference';

const loaded: LoadedTflite[] = [];
async function load(bytes: Uint8Array): Promise<LoadedTflite> {
  const m = await loadTflite(bytes);
  loaded.push(m);
  return m;
}

beforeAll(async () => {
  await initLiteRt();
}, 60_000);

afterAll(() => {
  for (const m of loaded) m.dispose();
});

describe('LiteRT.js runs our FlatBuffers', () => {
  it('one FULLY_CONNECTED (+ relu) matches x·Wᵀ + b', async () => {
    const g = new GraphBuilder();
    const r = rng(1);
    const x = g.addTensor('x', [2, 5]);
    const W = Float32Array.from({ length: 15 }, () => r() * 2 - 1); // [out=3, in=5]
    const B = Float32Array.from([0.1, -0.2, 0.3]);
    const y = g.fullyConnected('y', x, g.constF32('w', [3, 5], W), g.constF32('b', [3], B), 'relu');
    const bytes = writeTflite(g.toModel({ inputs: [{ name: 'x', tensor: x }], outputs: [{ name: 'y', tensor: y }] }));
    expectBuiltinOnly(bytes);
    const m = await load(bytes);
    const xin = Float32Array.from({ length: 10 }, () => r() * 2 - 1);
    const out = (await m.run({ x: xin })).outputs.y;
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < 3; o++) {
        let s = B[o];
        for (let i = 0; i < 5; i++) s += xin[b * 5 + i] * W[o * 5 + i];
        expect(out[b * 3 + o]).toBeCloseTo(Math.max(0, s), 5);
      }
  });

  it('SOFTMAX, SPLIT (axis, input), CONCATENATION, MEAN, TRANSPOSE, BATCH_MATMUL', async () => {
    const g = new GraphBuilder();
    const x = g.addTensor('x', [2, 4]);
    const p = g.softmax('p', x);
    const [a, b] = g.split('s', p, 1, 2); // [2,2] each
    const c = g.concat('c', [b, a], 1); // swapped halves
    const t = g.transpose('t', c, [1, 0]); // [4,2]
    const mm = g.batchMatMul('mm', c, t); // [2,2]
    const mean = g.mean('mean', x, [0], true); // [1,4]
    const bytes = writeTflite(
      g.toModel({
        inputs: [{ name: 'x', tensor: x }],
        outputs: [
          { name: 'c', tensor: c },
          { name: 'mm', tensor: mm },
          { name: 'mean', tensor: mean },
        ],
      }),
    );
    expectBuiltinOnly(bytes);
    const m = await load(bytes);
    const xin = Float32Array.from([1, 2, 3, 4, -1, 0, 1, 0.5]);
    const { outputs } = await m.run({ x: xin });
    const sm = (row: number[]) => {
      const e = row.map(Math.exp);
      const s = e.reduce((u, v) => u + v, 0);
      return e.map((v) => v / s);
    };
    const p0 = sm([1, 2, 3, 4]);
    const p1 = sm([-1, 0, 1, 0.5]);
    const cExp = [p0[2], p0[3], p0[0], p0[1], p1[2], p1[3], p1[0], p1[1]];
    cExp.forEach((v, i) => expect(outputs.c[i]).toBeCloseTo(v, 6));
    const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);
    const r0 = cExp.slice(0, 4);
    const r1 = cExp.slice(4);
    [dot(r0, r0), dot(r0, r1), dot(r1, r0), dot(r1, r1)].forEach((v, i) => expect(outputs.mm[i]).toBeCloseTo(v, 6));
    [0, 1, 2, 2.25].forEach((v, i) => expect(outputs.mean[i]).toBeCloseTo(v, 6));
  });

  it('an unrolled BiLSTM over 3 frames matches the reference LSTM (float32 within 1e-5)', async () => {
    const arch: ExportArchitecture = {
      numFrames: 3,
      featuresPerFrame: 5,
      layers: [{ kind: 'bilstm', name: 'lstm', units: 4, returnSequences: false }],
    };
    const P = randomParams(arch, 7, 5);
    const r = rng(3);
    const x = Float32Array.from({ length: 15 }, () => r() * 2 - 1);
    const ex = exportTflite(arch, P, { numFrames: 3 });
    expectBuiltinOnly(ex.bytes);
    expect(ex.ops.SPLIT).toBeGreaterThan(0);
    const m = await load(ex.bytes);
    const out = await m.run({ keypoints: x });
    const ref = referenceForward(arch, P, x, 3, 5);
    expect(Math.abs(out.outputs.score[0] - ref.score)).toBeLessThan(1e-3);
    expect(out.shapes.score).toEqual([1, 1]);
  });

  it('scoreClip uses the signature names; bad inputs fail with clear errors', async () => {
    const arch: ExportArchitecture = {
      numFrames: 4,
      numExercises: 3,
      layers: [{ kind: 'bilstm', name: 'l', units: 3, returnSequences: false }],
    };
    const P = randomParams(arch, 2);
    const ex = exportTflite(arch, P, { exerciseLabels: ['a', 'b', 'c'] });
    const check = checkScoringSignature(ex.bytes);
    expect(check.ok).toBe(true);
    const m = await load(ex.bytes);
    const x = Float32Array.from({ length: 4 * 132 }, rng(5));
    const s = await scoreClip(m, x, check);
    const ref = referenceForward(arch, P, x, 4);
    expect(Math.abs(s.score - ref.score)).toBeLessThan(1e-3);
    expect(s.exerciseProbs?.length).toBe(3);
    await expect(m.run({ keypoints: new Float32Array(5) })).rejects.toThrow(/needs 528 values/);
    await expect(loadTflite(new Uint8Array(64))).rejects.toThrow(/not a TFLite model/);
  });

  it('SUB, RELU, SLICE, STRIDED_SLICE, GATHER, RESHAPE, DEQUANTIZE(fp16)', async () => {
    const g = new GraphBuilder();
    const x = g.addTensor('x', [2, 4]);
    const relu = g.relu('relu', g.sub('sub', x, g.constF32('one', [1], [1])));
    const sl = g.slice('slice', x, [0, 1], [2, 2]); // columns 1..2
    const ss = g.stridedSlice('ss', x, [1, 0], [2, 4], [1, 2], 1); // row 1, every other column → [2]
    const ga = g.gather('gather', x, [3, 0], 1); // columns 3 and 0 → [2,2]
    const rs = g.reshape('rs', ga, [4]);
    const h = g.addConst('w16', [4], TensorType.FLOAT16, toFloat16(Float32Array.from([0.5, -2, 3, 1.25])));
    const dq = g.add('dq', rs, g.dequantize('w', h));
    const outs = { relu, sl, ss, rs, dq };
    const bytes = writeTflite(
      g.toModel({
        inputs: [{ name: 'x', tensor: x }],
        outputs: Object.entries(outs).map(([name, tensor]) => ({ name, tensor })),
      }),
    );
    expectBuiltinOnly(bytes);
    const m = await load(bytes);
    const { outputs } = await m.run({ x: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) });
    expect(Array.from(outputs.relu)).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(outputs.sl)).toEqual([1, 2, 5, 6]);
    expect(Array.from(outputs.ss)).toEqual([4, 6]);
    expect(Array.from(outputs.rs)).toEqual([3, 0, 7, 4]);
    expect(Array.from(outputs.dq)).toEqual([3.5, -2, 10, 5.25]);
  });
});
