import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { bilstmFused, bilstmOps, sigmoidFast, tanhFast } from '../../src-shared/model/lstm';
import { multiHeadSelfAttention } from '../../src-shared/model/attention';
import { linearFused } from '../../src-shared/model/fastops';
import { maxAbsDiff, useBackend } from './helpers';

const rnd = (shape: number[], seed: number, s = 0.5) => tf.randomUniform(shape, -s, s, 'float32', seed);

describe('fast activations', () => {
  it('match Math.exp-based ones to float32 precision', () => {
    for (let x = -30; x <= 30; x += 0.013) {
      expect(Math.abs(sigmoidFast(x) - 1 / (1 + Math.exp(-x)))).toBeLessThan(2e-7);
      expect(Math.abs(tanhFast(x) - Math.tanh(x))).toBeLessThan(4e-7);
    }
    expect(Number.isNaN(sigmoidFast(NaN))).toBe(true);
    expect(sigmoidFast(1e6)).toBe(1);
    expect(sigmoidFast(-1e6)).toBeLessThan(1e-30);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`BiLSTM (${backend})`, () => {
    beforeAll(() => useBackend(backend));
    const B = 3,
      T = 6,
      D = 7,
      H = 5;
    const dir = (s: number) => ({
      kernel: rnd([D, 4 * H], s),
      recurrent: rnd([H, 4 * H], s + 1),
      bias: rnd([4 * H], s + 2),
    });

    it('fused forward and hand-written gradients match autodiff of the naive implementation', () => {
      const fw = dir(1),
        bw = dir(10);
      const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 7);
      for (const rs of [true, false]) {
        const a = bilstmFused(x, fw, bw, rs),
          b = bilstmOps(x, fw, bw, rs);
        expect(a.shape).toEqual(rs ? [B, T, 2 * H] : [B, 2 * H]);
        expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
        const w = tf.randomNormal(a.shape, 0, 1, 'float32', 9);
        const mk =
          (impl: typeof bilstmFused) =>
          (...t: tf.Tensor[]) =>
            tf.sum(
              tf.mul(
                impl(
                  t[0],
                  { kernel: t[1], recurrent: t[2], bias: t[3] },
                  { kernel: t[4], recurrent: t[5], bias: t[6] },
                  rs,
                ),
                w,
              ),
            );
        const args = [x, fw.kernel, fw.recurrent, fw.bias, bw.kernel, bw.recurrent, bw.bias];
        const g1 = tf.grads(mk(bilstmFused))(args);
        const g2 = tf.grads(mk(bilstmOps))(args);
        g1.forEach((g, i) => {
          expect(g.shape).toEqual(args[i].shape);
          expect(maxAbsDiff(g.dataSync(), g2[i].dataSync())).toBeLessThan(2e-6);
        });
        tf.dispose([a, b, w, ...g1, ...g2]);
      }
    });

    it('fused forward matches stock tf.layers Bidirectional(LSTM) with the same weights', () => {
      const fw = dir(20),
        bw = dir(30);
      const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 8);
      for (const rs of [true, false]) {
        const layer = tf.layers.bidirectional({
          layer: tf.layers.lstm({
            units: H,
            returnSequences: rs,
            recurrentActivation: 'sigmoid',
            kernelInitializer: 'glorotUniform',
            recurrentInitializer: 'glorotUniform',
          }) as tf.RNN,
          mergeMode: 'concat',
        });
        const stock = layer.apply(x) as tf.Tensor; // builds the layer
        layer.setWeights([fw.kernel, fw.recurrent, fw.bias, bw.kernel, bw.recurrent, bw.bias]);
        const ref = layer.apply(x) as tf.Tensor;
        const ours = bilstmFused(x, fw, bw, rs);
        expect(ours.shape).toEqual(ref.shape);
        expect(maxAbsDiff(ours.dataSync(), ref.dataSync())).toBeLessThan(1e-5);
        tf.dispose([stock, ref, ours]);
        layer.dispose();
      }
    });
  });
}

describe('multi-head self-attention', () => {
  beforeAll(() => useBackend('wasm'));
  for (const impl of ['fused', 'ops'] as const)
    it(`${impl}: matches a direct per-head loop computation`, () => {
      const B = 2,
        T = 5,
        D = 6,
        heads = 3,
        kd = 4,
        hk = heads * kd;
      const p = {
        wq: rnd([D, hk], 1),
        bq: rnd([hk], 2),
        wk: rnd([D, hk], 3),
        bk: rnd([hk], 4),
        wv: rnd([D, hk], 5),
        bv: rnd([hk], 6),
        wo: rnd([hk, D], 7),
        bo: rnd([D], 8),
      };
      const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 9);
      const y = multiHeadSelfAttention(x, p, heads, kd, impl).arraySync() as number[][][];
      const X = x.arraySync() as number[][][];
      const A = (t: tf.Tensor) => t.arraySync() as number[][];
      const V = (t: tf.Tensor) => t.arraySync() as number[];
      const proj = (xs: number[], w: number[][], b: number[]) =>
        b.map((bb, j) => bb + xs.reduce((s, xv, i) => s + xv * w[i][j], 0));
      const [wq, wk, wv, wo] = [A(p.wq), A(p.wk), A(p.wv), A(p.wo)];
      const [bq, bk, bv, bo] = [V(p.bq), V(p.bk), V(p.bv), V(p.bo)];
      let maxd = 0;
      for (let b = 0; b < B; b++) {
        const Q = X[b].map((r) => proj(r, wq, bq)),
          K = X[b].map((r) => proj(r, wk, bk)),
          Vv = X[b].map((r) => proj(r, wv, bv));
        const ctx = X[b].map(() => new Array(hk).fill(0));
        for (let h = 0; h < heads; h++) {
          for (let t = 0; t < T; t++) {
            const sc = Array.from({ length: T }, (_, s) => {
              let d = 0;
              for (let k = 0; k < kd; k++) d += Q[t][h * kd + k] * K[s][h * kd + k];
              return d / Math.sqrt(kd);
            });
            const mx = Math.max(...sc);
            const e = sc.map((v) => Math.exp(v - mx));
            const z = e.reduce((a, c) => a + c, 0);
            for (let s = 0; s < T; s++)
              for (let k = 0; k < kd; k++) ctx[t][h * kd + k] += (e[s] / z) * Vv[s][h * kd + k];
          }
        }
        for (let t = 0; t < T; t++) {
          const out = proj(ctx[t], wo, bo);
          for (let j = 0; j < D; j++) maxd = Math.max(maxd, Math.abs(X[b][t][j] + out[j] - y[b][t][j]));
        }
      }
      expect(maxd).toBeLessThan(1e-5);
    });
});

describe('hand-written backward passes (wasm)', () => {
  beforeAll(() => useBackend('wasm'));
  it('attention fused gradients match autodiff of the ops version', () => {
    const B = 2,
      T = 5,
      D = 6,
      heads = 3,
      kd = 4,
      hk = heads * kd;
    const ps = [
      rnd([D, hk], 1),
      rnd([hk], 2),
      rnd([D, hk], 3),
      rnd([hk], 4),
      rnd([D, hk], 5),
      rnd([hk], 6),
      rnd([hk, D], 7),
      rnd([D], 8),
    ];
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 9);
    const w = tf.randomNormal([B, T, D], 0, 1, 'float32', 10);
    const mk =
      (impl: 'fused' | 'ops') =>
      (...t: tf.Tensor[]) =>
        tf.sum(
          tf.mul(
            multiHeadSelfAttention(
              t[0],
              { wq: t[1], bq: t[2], wk: t[3], bk: t[4], wv: t[5], bv: t[6], wo: t[7], bo: t[8] },
              heads,
              kd,
              impl,
            ),
            w,
          ),
        );
    const g1 = tf.grads(mk('fused'))([x, ...ps]);
    const g2 = tf.grads(mk('ops'))([x, ...ps]);
    g1.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[i].dataSync())).toBeLessThan(2e-5));
  });
  it('linearFused gradients match autodiff', () => {
    const x = rnd([5, 7], 1),
      wt = rnd([7, 3], 2),
      b = rnd([3], 3),
      m = rnd([5, 3], 4);
    const g1 = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(linearFused(a, c, d), m)))([
      x,
      wt,
      b,
    ]);
    const g2 = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.matMul(a, c), d), m)))([
      x,
      wt,
      b,
    ]);
    g1.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), g2[i].dataSync())).toBeLessThan(1e-6));
  });
});

describe('whole model: fused vs ops implementation', () => {
  beforeAll(() => useBackend('wasm'));
  it('same outputs and same parameter gradients (LSTM stack, attention, dense, batch norm, heads)', async () => {
    const { forward, initParams } = await import('../../src-shared/model/forward');
    const spec = {
      irVersion: 1 as const,
      kind: 'tiny-high',
      numFrames: 5,
      numFeatures: 132,
      layers: [
        { kind: 'bilstm' as const, name: 'l1', units: 6, returnSequences: true },
        { kind: 'bilstm' as const, name: 'l2', units: 4, returnSequences: true },
        { kind: 'attention' as const, name: 'att', heads: 2, keyDim: 3 },
        { kind: 'globalAvgPool' as const },
        { kind: 'dense' as const, name: 'd1', units: 7, activation: 'relu' as const },
        { kind: 'batchNorm' as const, name: 'bn1', epsilon: 1e-3, momentum: 0.9 },
      ],
      heads: { score: { name: 'score' as const }, exercise: { name: 'exercise' as const, numClasses: 14 } },
    };
    const { params, shapes } = initParams(spec, 3);
    const vars: Record<string, tf.Variable> = {};
    for (const k of Object.keys(params)) vars[k] = tf.variable(tf.tensor(params[k], shapes[k]), true, `whole_${k}`);
    const x = tf.randomNormal([3, 5, 132], 0, 1, 'float32', 4);
    const run = (impl: 'fused' | 'ops') =>
      tf.variableGrads(
        () => {
          const r = forward(spec, vars, x, { training: true, lstmImpl: impl });
          return tf.add(tf.sum(r.score), tf.sum(tf.mul(r.exerciseProbs!, tf.range(0, 14)))) as tf.Scalar;
        },
        Object.values(vars).filter((v) => !v.name.includes('moving')),
      );
    const a = run('fused');
    const b = run('ops');
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-3);
    for (const k of Object.keys(a.grads)) {
      const ga = a.grads[k].dataSync(),
        gb = b.grads[k].dataSync();
      const scale = Math.max(1e-3, ...Array.from(gb, Math.abs));
      expect(maxAbsDiff(ga, gb) / scale).toBeLessThan(1e-3);
    }
  });
});
