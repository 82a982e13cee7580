/**
 * Multi-head self-attention (semantics documented in architecture.ts, layer kind 'attention'), two implementations:
 *  - 'ops': Q, K, V with one matMul over all frames, heads as a batch dimension, batched matMul + softmax,
 *    residual add; tf autodiff. Works on every backend.
 *  - 'fused' (wasm/cpu): same projections through `linearFused` (transpose-free backward) and the T×T attention core
 *    in JS with a hand-written backward (fastops.ts) — batched matMuls and transposes are very slow on WASM.
 */
import * as tf from '@tensorflow/tfjs';
import { defaultLstmImpl, type LstmImpl } from './lstm';
import { attentionCoreFused, linearFused } from './fastops';

export interface AttentionParams {
  wq: tf.Tensor;
  bq: tf.Tensor;
  wk: tf.Tensor;
  bk: tf.Tensor;
  wv: tf.Tensor;
  bv: tf.Tensor;
  wo: tf.Tensor;
  bo: tf.Tensor;
}

export function multiHeadSelfAttention(
  x: tf.Tensor,
  p: AttentionParams,
  heads: number,
  keyDim: number,
  impl: LstmImpl = defaultLstmImpl(),
  residual = true,
): tf.Tensor {
  if (impl === 'fused') {
    return tf.tidy(() => {
      const [B, T, D] = x.shape as [number, number, number];
      const x2 = tf.reshape(x, [B * T, D]);
      const qkv = linearFused(x2, tf.concat([p.wq, p.wk, p.wv], 1), tf.concat([p.bq, p.bk, p.bv], 0));
      const ctx = attentionCoreFused(qkv, B, T, heads, keyDim);
      const out = tf.reshape(linearFused(ctx, p.wo, p.bo), [B, T, D]);
      return residual ? tf.add(x, out) : out;
    });
  }
  return tf.tidy(() => {
    const [B, T, D] = x.shape as [number, number, number];
    const hk = heads * keyDim;
    const x2 = tf.reshape(x, [B * T, D]) as tf.Tensor2D;
    // one matMul for Q, K and V
    const qkv = tf.add(
      tf.matMul(x2, tf.concat([p.wq, p.wk, p.wv], 1) as tf.Tensor2D),
      tf.concat([p.bq, p.bk, p.bv], 0),
    );
    const toHeads = (m: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(m, [B, T, heads, keyDim]), [0, 2, 1, 3]), [
        B * heads,
        T,
        keyDim,
      ]) as tf.Tensor3D;
    const [q, k, v] = tf.split(qkv, [hk, hk, hk], 1).map(toHeads);
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(keyDim)); // [B*heads, T, T]
    const attn = tf.softmax(scores, -1);
    const ctx = tf.matMul(attn, v); // [B*heads, T, keyDim]
    const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [B, heads, T, keyDim]), [0, 2, 1, 3]), [
      B * T,
      hk,
    ]) as tf.Tensor2D;
    const out = tf.reshape(tf.add(tf.matMul(merged, p.wo as tf.Tensor2D), p.bo), [B, T, D]);
    return residual ? tf.add(x, out) : out;
  });
}
