/**
 * Bidirectional LSTM for tfjs, two implementations with identical math (Keras semantics, see architecture.ts):
 *
 *  - 'fused' (default on the 'wasm' and 'cpu' backends): tfjs does only plain 2-D matMuls (the fast path of the WASM
 *    backend, ≈20 GFLOP/s here; batched/transposed matMuls and transposes are 20–100× slower there). The input
 *    projection of all time steps and both directions is ONE matMul; each step does one h·U matMul per direction;
 *    gate math, cell update and all transposes run in JS on Float32Arrays with a fast, float32-accurate exp.
 *    The backward pass of the whole sequence is hand-written and attached with tf.customGrad: per step one
 *    dz·Uᵀ matMul per direction, then ONE matMul each for dW, dU and dX over all time steps.
 *    It reads tensors synchronously, so it is meant for CPU-side backends (wasm, cpu), not WebGL/WebGPU.
 *  - 'ops': plain tf ops per time step, differentiated by tf autodiff. Works on every backend (use on GPU
 *    backends); also the reference the fused version is tested against.
 */
import * as tf from '@tensorflow/tfjs';

export type LstmImpl = 'fused' | 'ops';

export interface LstmDirParams {
  kernel: tf.Tensor; // [D, 4H]
  recurrent: tf.Tensor; // [H, 4H]
  bias: tf.Tensor; // [4H]
}

/** 'fused' on CPU-side backends, 'ops' elsewhere. */
export function defaultLstmImpl(): LstmImpl {
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu' ? 'fused' : 'ops';
}

// ── fast exp / sigmoid / tanh (relative error < 2e-7, i.e. float32 level) ──────────────────────────────
const POW2 = new Float64Array(256);
for (let i = 0; i < 256; i++) POW2[i] = Math.pow(2, i - 128);
const LOG2E = 1.4426950408889634;
const LN2 = 0.6931471805599453;

export function expFast(x: number): number {
  let t = x * LOG2E;
  if (t > 120) t = 120;
  else if (t < -120) t = -120;
  const n = Math.floor(t + 0.5);
  const y = (t - n) * LN2; // |y| ≤ 0.347
  const p =
    1 +
    y *
      (1 +
        y *
          (0.5 +
            y *
              (0.16666666666666666 +
                y *
                  (0.041666666666666664 +
                    y * (0.008333333333333333 + y * (0.001388888888888889 + y * 0.0001984126984126984))))));
  return p * POW2[n + 128];
}
export function sigmoidFast(x: number): number {
  return 1 / (1 + expFast(-x));
}
export function tanhFast(x: number): number {
  return 2 / (1 + expFast(-2 * x)) - 1;
}

function transposeJs(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
  return out;
}

function readF32(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** 2-D matMul of JS data with a tensor, result read back to JS. */
function mmJs(a: Float32Array, m: number, k: number, b: tf.Tensor): Float32Array {
  const at = tf.tensor2d(a, [m, k]);
  const r = tf.matMul(at, b as tf.Tensor2D);
  const out = readF32(r);
  at.dispose();
  r.dispose();
  return out;
}

interface FusedCache {
  B: number;
  T: number;
  D: number;
  H: number;
  x: Float32Array; // [B*T, D]
  acts: Float32Array[]; // per dir [T][B][4H]: i, f, g, o after activation
  cs: Float32Array[]; // per dir [T][B][H]
  tcs: Float32Array[]; // per dir [T][B][H] tanh(c)
  hs: Float32Array[]; // per dir [T][B][H]
}

function fusedForward(
  x: tf.Tensor,
  fw: LstmDirParams,
  bw: LstmDirParams,
  returnSequences: boolean,
): { out: tf.Tensor; cache: FusedCache } {
  const [B, T, D] = x.shape as [number, number, number];
  const H = fw.recurrent.shape[0];
  const G = 4 * H;
  const G2 = 2 * G;
  const xA = readF32(x);
  const xw = tf.tidy(() =>
    tf.matMul(tf.reshape(x, [B * T, D]) as tf.Tensor2D, tf.concat([fw.kernel, bw.kernel], 1) as tf.Tensor2D),
  );
  const xwA = readF32(xw);
  xw.dispose();
  const biases = [readF32(fw.bias), readF32(bw.bias)];
  const Us = [fw.recurrent, bw.recurrent];
  const acts = [new Float32Array(T * B * G), new Float32Array(T * B * G)];
  const cs = [new Float32Array(T * B * H), new Float32Array(T * B * H)];
  const tcs = [new Float32Array(T * B * H), new Float32Array(T * B * H)];
  const hs = [new Float32Array(T * B * H), new Float32Array(T * B * H)];
  for (let s = 0; s < T; s++) {
    for (let d = 0; d < 2; d++) {
      const t = d === 0 ? s : T - 1 - s;
      const tp = d === 0 ? t - 1 : t + 1; // previous time step of this direction
      const hu = s > 0 ? mmJs(hs[d].subarray(tp * B * H, (tp + 1) * B * H), B, H, Us[d]) : null;
      const bias = biases[d];
      const act = acts[d];
      const c = cs[d];
      const tc = tcs[d];
      const h = hs[d];
      for (let b = 0; b < B; b++) {
        const rx = (b * T + t) * G2 + d * G;
        const ra = (t * B + b) * G;
        const ru = b * G;
        for (let j = 0; j < G; j++) {
          const z = xwA[rx + j] + bias[j] + (hu ? hu[ru + j] : 0);
          act[ra + j] = j >= 2 * H && j < 3 * H ? tanhFast(z) : sigmoidFast(z);
        }
        const rc = (t * B + b) * H;
        const rcp = (tp * B + b) * H;
        for (let k = 0; k < H; k++) {
          const i = act[ra + k];
          const f = act[ra + H + k];
          const g = act[ra + 2 * H + k];
          const o = act[ra + 3 * H + k];
          const cp = s > 0 ? c[rcp + k] : 0;
          const cn = f * cp + i * g;
          const tcn = tanhFast(cn);
          c[rc + k] = cn;
          tc[rc + k] = tcn;
          h[rc + k] = o * tcn;
        }
      }
    }
  }
  let out: tf.Tensor;
  if (returnSequences) {
    const o = new Float32Array(B * T * 2 * H);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const ro = (b * T + t) * 2 * H;
        const rh = (t * B + b) * H;
        o.set(hs[0].subarray(rh, rh + H), ro);
        o.set(hs[1].subarray(rh, rh + H), ro + H);
      }
    out = tf.tensor3d(o, [B, T, 2 * H]);
  } else {
    const o = new Float32Array(B * 2 * H);
    for (let b = 0; b < B; b++) {
      const rf = ((T - 1) * B + b) * H;
      const rb = b * H; // bw final state is at t = 0
      o.set(hs[0].subarray(rf, rf + H), b * 2 * H);
      o.set(hs[1].subarray(rb, rb + H), b * 2 * H + H);
    }
    out = tf.tensor2d(o, [B, 2 * H]);
  }
  return { out, cache: { B, T, D, H, x: xA, acts, cs, tcs, hs } };
}

function fusedBackward(
  dy: tf.Tensor,
  cache: FusedCache,
  fw: LstmDirParams,
  bw: LstmDirParams,
  returnSequences: boolean,
): tf.Tensor[] {
  const { B, T, D, H, x, acts, cs, tcs, hs } = cache;
  const G = 4 * H;
  const G2 = 2 * G;
  const N = B * T;
  const dyA = readF32(dy);
  const dZcat = new Float32Array(N * G2); // row b*T+t, cols [fw 4H | bw 4H]
  const grads: tf.Tensor[] = [];
  const xT = tf.tensor2d(transposeJs(x, N, D), [D, N]);
  const perDir: tf.Tensor[][] = [];
  const dirs = [fw, bw];
  for (let d = 0; d < 2; d++) {
    const UT = tf.tensor2d(transposeJs(readF32(dirs[d].recurrent), H, G), [G, H]);
    const act = acts[d];
    const c = cs[d];
    const tc = tcs[d];
    const dZ = new Float32Array(N * G); // row b*T+t
    const dzStep = new Float32Array(B * G);
    let dhNext: Float32Array | null = null;
    const dcNext = new Float32Array(B * H);
    for (let s = T - 1; s >= 0; s--) {
      const t = d === 0 ? s : T - 1 - s;
      const tp = d === 0 ? t - 1 : t + 1;
      for (let b = 0; b < B; b++) {
        const ra = (t * B + b) * G;
        const rc = (t * B + b) * H;
        const rcp = (tp * B + b) * H;
        const rz = b * G;
        for (let k = 0; k < H; k++) {
          let dh = dhNext ? dhNext[b * H + k] : 0;
          if (returnSequences) dh += dyA[(b * T + t) * 2 * H + d * H + k];
          else if (s === T - 1) dh += dyA[b * 2 * H + d * H + k];
          const i = act[ra + k];
          const f = act[ra + H + k];
          const g = act[ra + 2 * H + k];
          const o = act[ra + 3 * H + k];
          const tcv = tc[rc + k];
          const cp = s > 0 ? c[rcp + k] : 0;
          const dc = dh * o * (1 - tcv * tcv) + dcNext[b * H + k];
          dcNext[b * H + k] = dc * f;
          dzStep[rz + k] = dc * g * i * (1 - i);
          dzStep[rz + H + k] = dc * cp * f * (1 - f);
          dzStep[rz + 2 * H + k] = dc * i * (1 - g * g);
          dzStep[rz + 3 * H + k] = dh * tcv * o * (1 - o);
        }
        const row = b * T + t;
        const src = dzStep.subarray(rz, rz + G);
        dZ.set(src, row * G);
        dZcat.set(src, row * G2 + d * G);
      }
      dhNext = s > 0 ? mmJs(dzStep, B, G, UT) : null;
    }
    UT.dispose();
    // h_{prev} for every (b, t), transposed: [H, N]
    const hpT = new Float32Array(H * N);
    const h = hs[d];
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const tp = d === 0 ? t - 1 : t + 1;
        if (tp < 0 || tp >= T) continue;
        const rh = (tp * B + b) * H;
        const col = b * T + t;
        for (let k = 0; k < H; k++) hpT[k * N + col] = h[rh + k];
      }
    const db = new Float32Array(G);
    for (let r = 0; r < N; r++) {
      const base = r * G;
      for (let j = 0; j < G; j++) db[j] += dZ[base + j];
    }
    const dZt = tf.tensor2d(dZ, [N, G]);
    const hpTt = tf.tensor2d(hpT, [H, N]);
    const dW = tf.matMul(xT, dZt);
    const dU = tf.matMul(hpTt, dZt);
    dZt.dispose();
    hpTt.dispose();
    perDir.push([dW, dU, tf.tensor1d(db)]);
  }
  xT.dispose();
  const wT = tf.tidy(() => {
    const wf = transposeJs(readF32(fw.kernel), D, G);
    const wb = transposeJs(readF32(bw.kernel), D, G);
    const both = new Float32Array(G2 * D);
    both.set(wf, 0);
    both.set(wb, G * D);
    return tf.tensor2d(both, [G2, D]);
  });
  const dZc = tf.tensor2d(dZcat, [N, G2]);
  const dX2 = tf.matMul(dZc, wT);
  const dX = tf.reshape(dX2, [B, T, D]);
  dZc.dispose();
  wT.dispose();
  dX2.dispose();
  grads.push(dX, ...perDir[0], ...perDir[1]);
  return grads;
}

const fusedCache = new Map<boolean, (...args: tf.Tensor[]) => tf.Tensor>();

function fusedOp(returnSequences: boolean): (...args: tf.Tensor[]) => tf.Tensor {
  let op = fusedCache.get(returnSequences);
  if (!op) {
    op = tf.customGrad(((...args: tf.Tensor[]) => {
      const [x, wf, uf, bf, wb, ub, bb] = args;
      const save = args[7] as unknown as tf.GradSaveFunc;
      const { out, cache } = fusedForward(
        x,
        { kernel: wf, recurrent: uf, bias: bf },
        { kernel: wb, recurrent: ub, bias: bb },
        returnSequences,
      );
      save([wf, uf, bf, wb, ub, bb]); // kept by the engine until the backward pass, even if the inputs were tidy intermediates
      return {
        value: out,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [swf, suf, sbf, swb, sub, sbb] = saved;
          return fusedBackward(
            dy,
            cache,
            { kernel: swf, recurrent: suf, bias: sbf },
            { kernel: swb, recurrent: sub, bias: sbb },
            returnSequences,
          );
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;
    fusedCache.set(returnSequences, op);
  }
  return op;
}

function lstmDirOps(x: tf.Tensor, p: LstmDirParams, reverse: boolean): tf.Tensor2D[] {
  const [B, T, D] = x.shape as [number, number, number];
  const H = p.recurrent.shape[0];
  const G = 4 * H;
  const xw = tf.add(
    tf.reshape(tf.matMul(tf.reshape(x, [B * T, D]) as tf.Tensor2D, p.kernel as tf.Tensor2D), [B, T, G]),
    p.bias,
  );
  let h: tf.Tensor2D = tf.zeros([B, H]);
  let c: tf.Tensor2D = tf.zeros([B, H]);
  const hs: tf.Tensor2D[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const z = tf.add(tf.reshape(tf.slice(xw, [0, t, 0], [B, 1, G]), [B, G]), tf.matMul(h, p.recurrent as tf.Tensor2D));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    hs[t] = h;
  }
  return hs;
}

/** Reference BiLSTM from plain tf ops (autodiff). Output as documented in architecture.ts. */
export function bilstmOps(x: tf.Tensor, fw: LstmDirParams, bw: LstmDirParams, returnSequences: boolean): tf.Tensor {
  return tf.tidy(() => {
    const T = x.shape[1] as number;
    const hf = lstmDirOps(x, fw, false);
    const hb = lstmDirOps(x, bw, true);
    if (!returnSequences) return tf.concat([hf[T - 1], hb[0]], 1);
    return tf.concat([tf.stack(hf, 1), tf.stack(hb, 1)], 2);
  });
}

/** Fused BiLSTM (custom forward + hand-written backward). x must be float32 [B, T, D]. */
export function bilstmFused(x: tf.Tensor, fw: LstmDirParams, bw: LstmDirParams, returnSequences: boolean): tf.Tensor {
  return fusedOp(returnSequences)(x, fw.kernel, fw.recurrent, fw.bias, bw.kernel, bw.recurrent, bw.bias);
}

export function bilstm(
  x: tf.Tensor,
  fw: LstmDirParams,
  bw: LstmDirParams,
  returnSequences: boolean,
  impl: LstmImpl = defaultLstmImpl(),
): tf.Tensor {
  return impl === 'fused' ? bilstmFused(x, fw, bw, returnSequences) : bilstmOps(x, fw, bw, returnSequences);
}
