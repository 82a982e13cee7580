/**
 * BiLSTM inference fast path (no gradient) for the CPU-side backends (wasm, cpu). Same math as lstm.ts.
 *
 * Why a separate kernel: the training kernel (lstm.ts 'fused') stores every gate activation and cell state for the
 * backward pass and goes through tf.customGrad. For prediction none of that is needed:
 *  - each step of each direction is ONE matMul over the whole batch: [x_t | h_{t-1}] · [W ; U] (input projection and
 *    recurrence together, K = D + H), so no [B·T, 8H] projection of the whole sequence is written and read back
 *    (memory-bound: 200 MB for 1,000 clips);
 *  - gate math and the cell update run in one tight loop over preallocated Float32Arrays, keeping only the current
 *    h and c (and the outputs when the layer returns sequences).
 */
import * as tf from '@tensorflow/tfjs';
import { expFast } from './lstm';
import type { LstmDirParams } from './lstm';

let fastPath = true;

/** Switch the inference fast path off/on (benchmarks and tests compare it with the training kernel). */
export function setLstmInferenceFastPath(on: boolean): void {
  fastPath = on;
}

export function lstmInferenceFastPath(): boolean {
  return fastPath;
}

/** Bidirectional LSTM forward for inference. x float32 [B, T, D]; output as documented in architecture.ts. */
export function bilstmInfer(x: tf.Tensor, fw: LstmDirParams, bw: LstmDirParams, returnSequences: boolean): tf.Tensor {
  const [B, T, D] = x.shape as [number, number, number];
  const H = fw.recurrent.shape[0];
  const G = 4 * H;
  const K = D + H;
  const xA = x.dataSync() as Float32Array;
  const dirs = [fw, bw].map((p) => ({
    wu: tf.concat([p.kernel, p.recurrent], 0) as tf.Tensor2D, // [D + H, 4H]
    bias: p.bias.dataSync() as Float32Array,
    xh: new Float32Array(B * K), // row b: [x_t | h_{t-1}]
    c: new Float32Array(B * H),
  }));
  // returnSequences: every h, laid out as the output [B, T, 2H]; else only the final states.
  const out = new Float32Array(returnSequences ? B * T * 2 * H : B * 2 * H);
  try {
    for (let s = 0; s < T; s++) {
      for (let d = 0; d < 2; d++) {
        const t = d === 0 ? s : T - 1 - s;
        const { wu, bias, xh, c } = dirs[d];
        for (let b = 0; b < B; b++) xh.set(xA.subarray((b * T + t) * D, (b * T + t + 1) * D), b * K);
        const xt = tf.tensor2d(xh, [B, K]);
        const zt = tf.matMul(xt, wu);
        const z = zt.dataSync() as Float32Array; // [B, 4H]
        tf.dispose([xt, zt]);
        for (let b = 0; b < B; b++) {
          const rz = b * G;
          const rh = b * H;
          const rx = b * K + D; // where this row's h goes for the next step
          for (let k = 0; k < H; k++) {
            const i = 1 / (1 + expFast(-(z[rz + k] + bias[k])));
            const f = 1 / (1 + expFast(-(z[rz + H + k] + bias[H + k])));
            const g = 2 / (1 + expFast(-2 * (z[rz + 2 * H + k] + bias[2 * H + k]))) - 1;
            const o = 1 / (1 + expFast(-(z[rz + 3 * H + k] + bias[3 * H + k])));
            const cn = f * c[rh + k] + i * g;
            c[rh + k] = cn;
            xh[rx + k] = o * (2 / (1 + expFast(-2 * cn)) - 1);
          }
        }
        if (returnSequences)
          for (let b = 0; b < B; b++) out.set(xh.subarray(b * K + D, (b + 1) * K), (b * T + t) * 2 * H + d * H);
      }
    }
  } finally {
    dirs.forEach((p) => p.wu.dispose());
  }
  if (returnSequences) return tf.tensor3d(out, [B, T, 2 * H]);
  // fw's final state is its h at t = T-1, bw's its h at t = 0: both are the last states computed.
  for (let b = 0; b < B; b++)
    for (let d = 0; d < 2; d++) out.set(dirs[d].xh.subarray(b * K + D, (b + 1) * K), b * 2 * H + d * H);
  return tf.tensor2d(out, [B, 2 * H]);
}
