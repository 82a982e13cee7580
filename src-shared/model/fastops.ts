/**
 * Ops with hand-written backward passes for the CPU-side backends (wasm, cpu).
 *
 * Why: on the WASM backend only plain 2-D matMul is fast (≈20 GFLOP/s here). tf autodiff of a dense layer uses
 * transposed matMuls (dX = dY·Wᵀ, dW = Xᵀ·dY), and attention uses batched matMuls and transposes — all 20–100×
 * slower there. These versions transpose in JS and only call plain 2-D matMuls; the small attention core
 * (T×T per head) runs in JS. They read tensors synchronously, so use them on wasm/cpu only.
 */
import * as tf from '@tensorflow/tfjs';
import { expFast } from './lstm';

function readF32(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

export function transposeJs(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c];
  }
  return out;
}

const linearOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1] as number;
  const value = tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b));
  save([x, w]); // inputs may be tidy intermediates: the engine keeps saved tensors for the backward pass
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [x, w] = saved;
      const wT = tf.tensor2d(transposeJs(readF32(w), k, n), [n, k]);
      const xT = tf.tensor2d(transposeJs(readF32(x), m, k), [k, m]);
      const dx = tf.matMul(dy as tf.Tensor2D, wT);
      const dw = tf.matMul(xT, dy as tf.Tensor2D);
      const db = tf.sum(dy, 0);
      wT.dispose();
      xT.dispose();
      return [dx, dw, db];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor,
  w: tf.Tensor,
  b: tf.Tensor,
) => tf.Tensor;

/** y = x·w + b for x [M, K], w [K, N], b [N], with a transpose-free backward. */
export function linearFused(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return linearOp(x, w, b) as tf.Tensor2D;
}

/**
 * Attention core on packed projections: qkv [B*T, 3·heads·keyDim] (columns Q | K | V, head j = keyDim columns
 * j·keyDim… within each) → context [B*T, heads·keyDim], softmax(Q·Kᵀ/√keyDim)·V per (batch, head).
 */
export function attentionCoreFused(qkv: tf.Tensor, B: number, T: number, heads: number, keyDim: number): tf.Tensor2D {
  const key = `${B}/${T}/${heads}/${keyDim}`;
  let op = coreOps.get(key);
  if (!op) {
    op = makeCoreOp(B, T, heads, keyDim);
    coreOps.set(key, op);
  }
  return op(qkv) as tf.Tensor2D;
}

const coreOps = new Map<string, (qkv: tf.Tensor) => tf.Tensor>();

/** For batch b, head h: where q, k and v start in a packed [q | k | v] row, and where the head's T×T weights start. */
function headOffsets(
  b: number,
  h: number,
  H: number,
  T: number,
  kd: number,
): { qo: number; ko: number; vo: number; ab: number } {
  const HK = H * kd;
  return { qo: h * kd, ko: HK + h * kd, vo: 2 * HK + h * kd, ab: (b * H + h) * T * T };
}

function makeCoreOp(B: number, T: number, H: number, kd: number): (qkv: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((qkv: tf.Tensor) => {
    const HK = H * kd;
    const W = 3 * HK;
    const scale = 1 / Math.sqrt(kd);
    const a = readF32(qkv);
    const A = new Float32Array(B * H * T * T);
    const ctx = new Float32Array(B * T * HK);
    const row = new Float64Array(T);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const { qo, ko, vo, ab } = headOffsets(b, h, H, T, kd);
        for (let t = 0; t < T; t++) {
          const qr = (b * T + t) * W + qo;
          let mx = -Infinity;
          for (let s = 0; s < T; s++) {
            const kr = (b * T + s) * W + ko;
            let d = 0;
            for (let k = 0; k < kd; k++) d += a[qr + k] * a[kr + k];
            d *= scale;
            row[s] = d;
            if (d > mx) mx = d;
          }
          let z = 0;
          for (let s = 0; s < T; s++) {
            const e = expFast(row[s] - mx);
            row[s] = e;
            z += e;
          }
          const cr = (b * T + t) * HK + h * kd;
          for (let s = 0; s < T; s++) {
            const p = row[s] / z;
            A[ab + t * T + s] = p;
            const vr = (b * T + s) * W + vo;
            for (let k = 0; k < kd; k++) ctx[cr + k] += p * a[vr + k];
          }
          if (!(z > 0) || !Number.isFinite(mx)) for (let k = 0; k < kd; k++) ctx[cr + k] = NaN; // propagate NaN/Inf inputs
        }
      }
    const value = tf.tensor2d(ctx, [B * T, HK]);
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const g = readF32(dy);
        const da = new Float32Array(B * T * W);
        const dA = new Float64Array(T);
        for (let b = 0; b < B; b++)
          for (let h = 0; h < H; h++) {
            const { qo, ko, vo, ab } = headOffsets(b, h, H, T, kd);
            for (let t = 0; t < T; t++) {
              const gr = (b * T + t) * HK + h * kd;
              let dot = 0;
              for (let s = 0; s < T; s++) {
                const vr = (b * T + s) * W + vo;
                const p = A[ab + t * T + s];
                let d = 0;
                for (let k = 0; k < kd; k++) {
                  d += g[gr + k] * a[vr + k];
                  da[vr + k] += p * g[gr + k]; // dV
                }
                dA[s] = d;
                dot += p * d;
              }
              const qr = (b * T + t) * W + qo;
              for (let s = 0; s < T; s++) {
                const ds = A[ab + t * T + s] * (dA[s] - dot) * scale;
                if (ds === 0) continue;
                const kr = (b * T + s) * W + ko;
                for (let k = 0; k < kd; k++) {
                  da[qr + k] += ds * a[kr + k]; // dQ
                  da[kr + k] += ds * a[qr + k]; // dK
                }
              }
            }
          }
        return [tf.tensor2d(da, [B * T, W])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (qkv: tf.Tensor) => tf.Tensor;
}
