/**
 * Interpreter of the layer-list IR (architecture.ts) for tfjs: parameter initialization and the forward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type ModelSpec } from './architecture';
import { bilstm, defaultLstmImpl, type LstmImpl } from './lstm';
import { bilstmInfer, lstmInferenceFastPath } from './lstm-infer';
import { multiHeadSelfAttention } from './attention';
import { linearFused } from './fastops';
import { Rng } from './rng';
import type { ParamMap, ShapeMap } from './serialize';
import type { DenseActivation } from './architecture';

function activate(y: tf.Tensor, a: DenseActivation): tf.Tensor {
  switch (a) {
    case 'linear':
      return y;
    case 'relu':
      return tf.relu(y);
    case 'relu6':
      return tf.relu6(y);
    case 'sigmoid':
      return tf.sigmoid(y);
    case 'tanh':
      return tf.tanh(y);
    case 'silu':
      return tf.mul(y, tf.sigmoid(y));
    case 'elu':
      return tf.elu(y);
    case 'exponential':
      return tf.exp(y);
    case 'softmax':
      return tf.softmax(y, -1);
  }
}

/**
 * Fresh parameters in JS memory (deterministic for a seed, independent of the backend).
 * glorotUniform for kernels (also the recurrent kernels: Keras' orthogonal init takes minutes in tfjs),
 * zeros for biases except the LSTM forget gate (1, Keras unit_forget_bias), BatchNorm gamma 1 / variance 1.
 */
export function initParams(spec: ModelSpec, seed = 1): { params: ParamMap; shapes: ShapeMap } {
  const rng = new Rng(seed);
  const params: ParamMap = {};
  const shapes: ShapeMap = {};
  for (const p of paramSpecs(spec)) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    if (p.init === 'glorotUniform') {
      const lim = Math.sqrt(6 / (p.shape[0] + p.shape[1]));
      for (let i = 0; i < n; i++) a[i] = (2 * rng.next() - 1) * lim;
    } else if (p.init === 'ones') a.fill(1);
    else if (p.init === 'lstmBias') a.fill(1, n / 4, n / 2);
    params[p.name] = a;
    shapes[p.name] = p.shape.slice();
  }
  return { params, shapes };
}

export interface ForwardOptions {
  /** Training mode: dropout active, BatchNorm uses batch statistics (and reports them). */
  training?: boolean;
  /** Seed for dropout masks (training only). */
  seed?: number;
  lstmImpl?: LstmImpl;
  /** Prediction only (no gradient will be taken): LSTMs use the inference fast path on wasm/cpu (lstm-infer.ts). */
  inference?: boolean;
}

export interface ForwardResult {
  /** Pre-sigmoid score logit [B]. */
  scoreLogit: tf.Tensor1D;
  /** Score 0–100 [B]. */
  score: tf.Tensor1D;
  exerciseLogits?: tf.Tensor2D;
  exerciseProbs?: tf.Tensor2D;
  /** Training mode only: batch statistics of every BatchNorm layer, for the moving-average update. */
  bnStats: Array<{ name: string; mean: tf.Tensor; variance: tf.Tensor }>;
}

/** Forward pass. `x` is float32 [B, numFrames, numFeatures]. Does not dispose its outputs; wrap in tf.tidy as needed. */
export function forward(
  spec: ModelSpec,
  params: Record<string, tf.Tensor>,
  x: tf.Tensor,
  opts: ForwardOptions = {},
): ForwardResult {
  const training = opts.training ?? false;
  const impl = opts.lstmImpl ?? defaultLstmImpl();
  const P = (name: string): tf.Tensor => {
    const t = params[name];
    if (!t) throw new Error(`missing parameter ${name}`);
    return t;
  };
  const bnStats: ForwardResult['bnStats'] = [];
  const linear = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor =>
    impl === 'fused' ? linearFused(a, w, b) : tf.add(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D), b);
  let h: tf.Tensor = x;
  spec.layers.forEach((l, idx) => {
    switch (l.kind) {
      case 'bilstm': {
        const dir = (d: string) => ({
          kernel: P(`${l.name}/${d}/kernel`),
          recurrent: P(`${l.name}/${d}/recurrent_kernel`),
          bias: P(`${l.name}/${d}/bias`),
        });
        const fast = opts.inference && !training && impl === 'fused' && lstmInferenceFastPath();
        h = fast
          ? bilstmInfer(h, dir('fw'), dir('bw'), l.returnSequences)
          : bilstm(h, dir('fw'), dir('bw'), l.returnSequences, impl);
        break;
      }
      case 'attention': {
        const n = l.name;
        h = multiHeadSelfAttention(
          h,
          {
            wq: P(`${n}/wq`),
            bq: P(`${n}/bq`),
            wk: P(`${n}/wk`),
            bk: P(`${n}/bk`),
            wv: P(`${n}/wv`),
            bv: P(`${n}/bv`),
            wo: P(`${n}/wo`),
            bo: P(`${n}/bo`),
          },
          l.heads,
          l.keyDim,
          impl,
          l.residual ?? true,
        );
        break;
      }
      case 'globalAvgPool':
        h = tf.mean(h, 1);
        break;
      case 'dense': {
        const shape = h.shape;
        const feat = shape[shape.length - 1];
        const rows = h.size / feat;
        let y: tf.Tensor = linear(tf.reshape(h, [rows, feat]), P(`${l.name}/kernel`), P(`${l.name}/bias`));
        y = activate(y, l.activation);
        h = shape.length === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), l.units]);
        break;
      }
      case 'batchNorm': {
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        const axes = h.shape.slice(0, -1).map((_, i) => i);
        if (training) {
          const m = tf.moments(h, axes);
          mean = m.mean;
          variance = m.variance;
          bnStats.push({ name: l.name, mean, variance });
        } else {
          mean = P(`${l.name}/moving_mean`);
          variance = P(`${l.name}/moving_variance`);
        }
        h = tf.add(
          tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, l.epsilon))), P(`${l.name}/gamma`)),
          P(`${l.name}/beta`),
        );
        break;
      }
      case 'layerNorm': {
        const m = tf.moments(h, -1, true);
        const normed = tf.mul(tf.sub(h, m.mean), tf.rsqrt(tf.add(m.variance, l.epsilon)));
        h = tf.add(tf.mul(normed, P(`${l.name}/gamma`)), P(`${l.name}/beta`));
        break;
      }
      case 'rescale':
        h = tf.add(tf.mul(h, l.scale), l.offset);
        break;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0], -1]);
        break;
      case 'dropout':
        if (training && l.rate > 0) h = tf.dropout(h, l.rate, undefined, ((opts.seed ?? 0) + 7919 * (idx + 1)) >>> 0);
        break;
    }
  });
  const scoreLogit = tf.reshape(linear(h, P('score/kernel'), P('score/bias')), [-1]) as tf.Tensor1D;
  const sh = spec.heads.score;
  const score = tf.mul(
    sh.activation === 'linear' ? scoreLogit : tf.sigmoid(scoreLogit),
    sh.scale ?? 100,
  ) as tf.Tensor1D;
  const res: ForwardResult = { scoreLogit, score, bnStats };
  if (spec.heads.exercise) {
    res.exerciseLogits = linear(h, P('exercise/kernel'), P('exercise/bias')) as tf.Tensor2D;
    res.exerciseProbs = tf.softmax(res.exerciseLogits);
  }
  return res;
}
