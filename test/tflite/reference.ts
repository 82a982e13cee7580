/**
 * Test helpers: seeded random parameters for an IR and a plain-TS (float64) reference forward pass
 * written from the IR contract (Keras semantics). Independent from the exporter and from tfjs.
 */
import type { ExportArchitecture, ExportLayer } from '../../src-shared/tflite/exporter';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Params = Record<string, Float32Array>;

/** Glorot-uniform-ish kernels, small biases, plausible BN statistics. */
export function randomParams(arch: ExportArchitecture, seed = 1, featuresPerFrame = 132): Params {
  const r = rng(seed);
  const P: Params = {};
  const uni = (n: number, lim: number) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * lim);
  const kernel = (name: string, i: number, o: number) => (P[name] = uni(i * o, Math.sqrt(6 / (i + o))));
  let dim = featuresPerFrame;
  for (const l of arch.layers) {
    if (l.kind === 'bilstm') {
      for (const d of ['fw', 'bw']) {
        kernel(`${l.name}/${d}/kernel`, dim, 4 * l.units);
        kernel(`${l.name}/${d}/recurrent_kernel`, l.units, 4 * l.units);
        P[`${l.name}/${d}/bias`] = uni(4 * l.units, 0.1);
      }
      dim = 2 * l.units;
    } else if (l.kind === 'attention') {
      const hk = l.heads * l.keyDim;
      for (const w of ['wq', 'wk', 'wv']) kernel(`${l.name}/${w}`, dim, hk);
      for (const b of ['bq', 'bk', 'bv']) P[`${l.name}/${b}`] = uni(hk, 0.1);
      kernel(`${l.name}/wo`, hk, dim);
      P[`${l.name}/bo`] = uni(dim, 0.1);
    } else if (l.kind === 'dense') {
      kernel(`${l.name}/kernel`, dim, l.units);
      P[`${l.name}/bias`] = uni(l.units, 0.1);
      dim = l.units;
    } else if (l.kind === 'batchNorm') {
      P[`${l.name}/gamma`] = Float32Array.from({ length: dim }, () => 0.5 + r());
      P[`${l.name}/beta`] = uni(dim, 0.3);
      P[`${l.name}/moving_mean`] = uni(dim, 0.5);
      P[`${l.name}/moving_variance`] = Float32Array.from({ length: dim }, () => 0.2 + r());
    }
  }
  kernel(`${arch.scoreHead ?? 'score'}/kernel`, dim, 1);
  P[`${arch.scoreHead ?? 'score'}/bias`] = uni(1, 0.1);
  if ((arch.numExercises ?? 0) > 1) {
    kernel(`${arch.exerciseHead ?? 'exercise'}/kernel`, dim, arch.numExercises as number);
    P[`${arch.exerciseHead ?? 'exercise'}/bias`] = uni(arch.numExercises as number, 0.1);
  }
  return P;
}

type Mat = Float64Array[]; // rows

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function matmul(x: Mat, w: Float32Array, inDim: number, outDim: number, b?: Float32Array): Mat {
  return x.map((row) => {
    const out = new Float64Array(outDim);
    for (let o = 0; o < outDim; o++) out[o] = b ? b[o] : 0;
    for (let i = 0; i < inDim; i++) {
      const xi = row[i];
      if (xi === 0) continue;
      for (let o = 0; o < outDim; o++) out[o] += xi * w[i * outDim + o];
    }
    return out;
  });
}

function lstmDir(x: Mat, P: Params, p: string, D: number, H: number, reverse: boolean): Mat {
  const k = P[`${p}/kernel`];
  const rk = P[`${p}/recurrent_kernel`];
  const b = P[`${p}/bias`];
  const xp = matmul(x, k, D, 4 * H, b);
  const N = x.length;
  const hs: Mat = new Array(N);
  let h = new Float64Array(H);
  let c = new Float64Array(H);
  for (let s = 0; s < N; s++) {
    const t = reverse ? N - 1 - s : s;
    const z = Float64Array.from(xp[t]);
    const hr = matmul([h], rk, H, 4 * H)[0];
    for (let j = 0; j < 4 * H; j++) z[j] += hr[j];
    const nh = new Float64Array(H);
    const nc = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const i = sigmoid(z[j]);
      const f = sigmoid(z[H + j]);
      const g = Math.tanh(z[2 * H + j]);
      const o = sigmoid(z[3 * H + j]);
      nc[j] = f * c[j] + i * g;
      nh[j] = o * Math.tanh(nc[j]);
    }
    h = nh;
    c = nc;
    hs[t] = h;
  }
  // hs in time order, then the final state of the scan (fw: after t=N-1, bw: after t=0).
  return [...hs, h];
}

function layerForward(l: ExportLayer, x: Mat, P: Params, dim: number): { x: Mat; dim: number; seq: boolean } {
  switch (l.kind) {
    case 'bilstm': {
      const H = l.units;
      const fw = lstmDir(x, P, `${l.name}/fw`, dim, H, false);
      const bw = lstmDir(x, P, `${l.name}/bw`, dim, H, true);
      const N = x.length;
      const cat = (a: Float64Array, b: Float64Array) => {
        const o = new Float64Array(a.length + b.length);
        o.set(a);
        o.set(b, a.length);
        return o;
      };
      if (l.returnSequences)
        return { x: Array.from({ length: N }, (_, t) => cat(fw[t], bw[t])), dim: 2 * H, seq: true };
      return { x: [cat(fw[N], bw[N])], dim: 2 * H, seq: false };
    }
    case 'attention': {
      const HK = l.heads * l.keyDim;
      const q = matmul(x, P[`${l.name}/wq`], dim, HK, P[`${l.name}/bq`]);
      const k = matmul(x, P[`${l.name}/wk`], dim, HK, P[`${l.name}/bk`]);
      const v = matmul(x, P[`${l.name}/wv`], dim, HK, P[`${l.name}/bv`]);
      const N = x.length;
      const ctx: Mat = Array.from({ length: N }, () => new Float64Array(HK));
      const sc = 1 / Math.sqrt(l.keyDim);
      for (let h = 0; h < l.heads; h++) {
        const off = h * l.keyDim;
        for (let i = 0; i < N; i++) {
          const s = new Float64Array(N);
          let m = -Infinity;
          for (let j = 0; j < N; j++) {
            let d = 0;
            for (let e = 0; e < l.keyDim; e++) d += q[i][off + e] * k[j][off + e];
            s[j] = d * sc;
            m = Math.max(m, s[j]);
          }
          let sum = 0;
          for (let j = 0; j < N; j++) sum += s[j] = Math.exp(s[j] - m);
          for (let j = 0; j < N; j++)
            for (let e = 0; e < l.keyDim; e++) ctx[i][off + e] += (s[j] / sum) * v[j][off + e];
        }
      }
      const o = matmul(ctx, P[`${l.name}/wo`], HK, dim, P[`${l.name}/bo`]);
      return { x: x.map((row, i) => row.map((val, j) => val + o[i][j])), dim, seq: true };
    }
    case 'globalAvgPool': {
      const out = new Float64Array(dim);
      for (const row of x) for (let j = 0; j < dim; j++) out[j] += row[j] / x.length;
      return { x: [out], dim, seq: false };
    }
    case 'dense': {
      const y = matmul(x, P[`${l.name}/kernel`], dim, l.units, P[`${l.name}/bias`]);
      if (l.activation === 'relu') for (const r of y) for (let j = 0; j < r.length; j++) r[j] = Math.max(0, r[j]);
      return { x: y, dim: l.units, seq: x.length > 1 };
    }
    case 'batchNorm': {
      const g = P[`${l.name}/gamma`];
      const b = P[`${l.name}/beta`];
      const m = P[`${l.name}/moving_mean`];
      const v = P[`${l.name}/moving_variance`];
      return {
        x: x.map((r) => r.map((val, j) => ((val - m[j]) / Math.sqrt(v[j] + l.epsilon)) * g[j] + b[j])),
        dim,
        seq: x.length > 1,
      };
    }
    case 'dropout':
      return { x, dim, seq: x.length > 1 };
    default:
      throw new Error(`the reference forward has no ${l.kind} layer`);
  }
}

/** Reference forward for one clip: input [N*132] row-major. Returns score (0..100) and probs. */
export function referenceForward(
  arch: ExportArchitecture,
  P: Params,
  input: Float32Array,
  N: number,
  F = 132,
): { score: number; probs: number[] } {
  let x: Mat = Array.from({ length: N }, (_, t) => Float64Array.from(input.subarray(t * F, (t + 1) * F)));
  let dim = F;
  for (const l of arch.layers) {
    const r = layerForward(l, x, P, dim);
    x = r.x;
    dim = r.dim;
  }
  const sh = arch.scoreHead ?? 'score';
  const logit = matmul(x, P[`${sh}/kernel`], dim, 1, P[`${sh}/bias`])[0][0];
  const score = sigmoid(logit) * 100;
  let probs: number[] = [];
  if ((arch.numExercises ?? 0) > 1) {
    const eh = arch.exerciseHead ?? 'exercise';
    const z = Array.from(matmul(x, P[`${eh}/kernel`], dim, arch.numExercises as number, P[`${eh}/bias`])[0]);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    probs = e.map((v) => v / s);
  }
  return { score, probs };
}
