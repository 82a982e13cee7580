/**
 * A tfjs forward pass written from the IR contract (used by the TFLite tests and bench/tflite.ts as the
 * tfjs side of the comparison until/unless src-shared/model provides its own). Batch 1.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ExportArchitecture } from '../../src-shared/tflite/exporter';
import type { Params } from './reference';

export type TfParams = Record<string, tf.Tensor>;

export function toTfParams(arch: ExportArchitecture, P: Params, F = 132): TfParams {
  const out: TfParams = {};
  let dim = F;
  const put = (k: string, shape: number[]) => (out[k] = tf.tensor(P[k], shape));
  for (const l of arch.layers) {
    if (l.kind === 'bilstm') {
      for (const d of ['fw', 'bw']) {
        put(`${l.name}/${d}/kernel`, [dim, 4 * l.units]);
        put(`${l.name}/${d}/recurrent_kernel`, [l.units, 4 * l.units]);
        put(`${l.name}/${d}/bias`, [4 * l.units]);
      }
      dim = 2 * l.units;
    } else if (l.kind === 'attention') {
      const hk = l.heads * l.keyDim;
      for (const w of ['wq', 'wk', 'wv']) put(`${l.name}/${w}`, [dim, hk]);
      for (const b of ['bq', 'bk', 'bv']) put(`${l.name}/${b}`, [hk]);
      put(`${l.name}/wo`, [hk, dim]);
      put(`${l.name}/bo`, [dim]);
    } else if (l.kind === 'dense') {
      put(`${l.name}/kernel`, [dim, l.units]);
      put(`${l.name}/bias`, [l.units]);
      dim = l.units;
    } else if (l.kind === 'batchNorm') {
      for (const n of ['gamma', 'beta', 'moving_mean', 'moving_variance']) put(`${l.name}/${n}`, [dim]);
    }
  }
  const sh = arch.scoreHead ?? 'score';
  put(`${sh}/kernel`, [dim, 1]);
  put(`${sh}/bias`, [1]);
  if ((arch.numExercises ?? 0) > 1) {
    const eh = arch.exerciseHead ?? 'exercise';
    put(`${eh}/kernel`, [dim, arch.numExercises as number]);
    put(`${eh}/bias`, [arch.numExercises as number]);
  }
  return out;
}

function lstm(x: tf.Tensor2D, P: TfParams, p: string, H: number, reverse: boolean): { seq: tf.Tensor2D; last: tf.Tensor2D } {
  const N = x.shape[0];
  const xp = tf.add(tf.matMul(x, P[`${p}/kernel`] as tf.Tensor2D), P[`${p}/bias`]) as tf.Tensor2D;
  const rows = tf.split(xp, N, 0) as tf.Tensor2D[];
  let h = tf.zeros([1, H]) as tf.Tensor2D;
  let c = tf.zeros([1, H]) as tf.Tensor2D;
  const hs: tf.Tensor2D[] = new Array(N);
  for (let s = 0; s < N; s++) {
    const t = reverse ? N - 1 - s : s;
    const z = tf.add(rows[t], tf.matMul(h, P[`${p}/recurrent_kernel`] as tf.Tensor2D));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as tf.Tensor2D;
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c)) as tf.Tensor2D;
    hs[t] = h;
  }
  return { seq: tf.concat(hs, 0), last: h };
}

/** x: [N, F] → { score [1,1], probs [1,K] | null } (callers wrap in tf.tidy). */
export function tfjsForward(arch: ExportArchitecture, P: TfParams, input: tf.Tensor2D): { score: tf.Tensor; probs: tf.Tensor | null } {
  let x: tf.Tensor2D = input;
  for (const l of arch.layers) {
    switch (l.kind) {
      case 'bilstm': {
        const fw = lstm(x, P, `${l.name}/fw`, l.units, false);
        const bw = lstm(x, P, `${l.name}/bw`, l.units, true);
        x = l.returnSequences ? tf.concat([fw.seq, bw.seq], 1) : tf.concat([fw.last, bw.last], 1);
        break;
      }
      case 'attention': {
        const N = x.shape[0];
        const proj = (w: string, b: string) =>
          tf.transpose(tf.reshape(tf.add(tf.matMul(x, P[`${l.name}/${w}`] as tf.Tensor2D), P[`${l.name}/${b}`]), [N, l.heads, l.keyDim]), [1, 0, 2]) as tf.Tensor3D;
        const q = proj('wq', 'bq');
        const k = proj('wk', 'bk');
        const v = proj('wv', 'bv');
        const s = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(l.keyDim)));
        const ctx = tf.reshape(tf.transpose(tf.matMul(s, v), [1, 0, 2]), [N, l.heads * l.keyDim]) as tf.Tensor2D;
        x = tf.add(x, tf.add(tf.matMul(ctx, P[`${l.name}/wo`] as tf.Tensor2D), P[`${l.name}/bo`])) as tf.Tensor2D;
        break;
      }
      case 'globalAvgPool':
        x = tf.mean(x, 0, true);
        break;
      case 'dense': {
        const y = tf.add(tf.matMul(x, P[`${l.name}/kernel`] as tf.Tensor2D), P[`${l.name}/bias`]) as tf.Tensor2D;
        x = l.activation === 'relu' ? tf.relu(y) : y;
        break;
      }
      case 'batchNorm':
        x = tf.batchNorm(x, P[`${l.name}/moving_mean`], P[`${l.name}/moving_variance`], P[`${l.name}/beta`], P[`${l.name}/gamma`], l.epsilon);
        break;
      case 'dropout':
        break;
    }
  }
  const sh = arch.scoreHead ?? 'score';
  const score = tf.mul(tf.sigmoid(tf.add(tf.matMul(x, P[`${sh}/kernel`] as tf.Tensor2D), P[`${sh}/bias`])), 100);
  let probs: tf.Tensor | null = null;
  if ((arch.numExercises ?? 0) > 1) {
    const eh = arch.exerciseHead ?? 'exercise';
    probs = tf.softmax(tf.add(tf.matMul(x, P[`${eh}/kernel`] as tf.Tensor2D), P[`${eh}/bias`]));
  }
  return { score, probs };
}

let backendReady: Promise<string> | undefined;
/** Use the WASM backend when it loads (Node: reads its .wasm from node_modules), else CPU. */
export function initTfjsWasm(): Promise<string> {
  backendReady ??= (async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Point the backend at its .wasm files explicitly (under vitest the default lookup is relative to cwd).
      const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
      wasm.setWasmPaths(dist + path.sep);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      // fall through
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return backendReady;
}
