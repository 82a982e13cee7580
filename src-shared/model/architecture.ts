/**
 * Model architectures AS DATA: a small layer-list IR interpreted by
 *   - the tfjs forward/training code (src-shared/model/forward.ts), and
 *   - the TFLite exporter (reads this file; keep it the single source of truth).
 *
 * ── Input ──────────────────────────────────────────────────────────────────────────────────────
 *   `input`: float32 [batch, numFrames, 132] from `normalizeVideoKeypoints` (src-shared/keypoints/normalize.ts).
 *   A frame with no person is exactly 132 zeros (visibility included). There is no explicit mask
 *   input: the layers below see those zero rows like any other row (same as the Python toolkit).
 *
 * ── Layers (applied in order to a tensor `h`, starting with h = input) ─────────────────────────
 *   bilstm      {kind, name, units H, returnSequences}
 *               params  `${name}/fw/kernel` [in, 4H], `${name}/fw/recurrent_kernel` [H, 4H], `${name}/fw/bias` [4H]
 *                       and the same under `${name}/bw/`.
 *               Keras LSTM semantics: gate order along the 4H axis is i, f, c(g), o;
 *                 z_t = x_t·kernel + h_{t-1}·recurrent_kernel + bias
 *                 i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)        (σ = logistic sigmoid, NOT hard sigmoid)
 *                 c_t = f⊙c_{t-1} + i⊙g,   h_t = o⊙tanh(c_t),   h_{-1} = c_{-1} = 0
 *               fw runs t = 0..T-1, bw runs t = T-1..0 (its outputs are stored back at their own time index).
 *               returnSequences: output [B, T, 2H] = concat(fw_t, bw_t) on the feature axis.
 *               else:            output [B, 2H]    = concat(fw final state h_{T-1}, bw final state (its h at t=0)).
 *   attention   {kind, name, heads, keyDim}   multi-head self-attention on [B, T, D], D = input features.
 *               params  `${name}/wq|wk|wv` [D, heads*keyDim], `${name}/bq|bk|bv` [heads*keyDim],
 *                       `${name}/wo` [heads*keyDim, D], `${name}/bo` [D]
 *                 Q = h·wq + bq (same for K, V), split the last axis into heads (head j = columns j*keyDim..(j+1)*keyDim-1)
 *                 A_j = softmax_over_keys(Q_j·K_jᵀ / sqrt(keyDim)),  C_j = A_j·V_j,  C = concat_j C_j
 *                 output = h + (C·wo + bo)                 (residual add; no layer norm, no mask, no dropout)
 *               output shape [B, T, D].
 *   globalAvgPool {kind}                      [B, T, F] → [B, F], mean over time (all frames, zero frames included).
 *   dense       {kind, name, units, activation: 'relu' | 'linear'}
 *               params `${name}/kernel` [in, units], `${name}/bias` [units];  y = act(x·kernel + bias).
 *   batchNorm   {kind, name, epsilon, momentum}
 *               params `${name}/gamma`, `${name}/beta` (trainable), `${name}/moving_mean`, `${name}/moving_variance`
 *               (non-trainable), all [F]. Inference: y = (x − moving_mean)/sqrt(moving_variance + epsilon)·gamma + beta.
 *               Training uses batch statistics and moving = momentum·moving + (1−momentum)·batch (variance: biased batch variance).
 *   dropout     {kind, rate}                  identity at inference.
 *
 * ── Heads (applied to the final h, which must be rank 2 [B, F]) ────────────────────────────────
 *   score:    params `score/kernel` [F, 1], `score/bias` [1];  score = 100·σ(h·kernel + bias)   → [B] in 0..100
 *   exercise: params `exercise/kernel` [F, 14], `exercise/bias` [14]; probs = softmax(h·kernel + bias) → [B, 14]
 *             (class index = EXERCISE_TYPES index). Present only when the training data has >1 exercise type.
 *
 * Parameter order for files/exporters is `paramSpecs(spec)` order.
 */
import { FEATURES_PER_FRAME, DEFAULT_NUM_FRAMES } from '../keypoints/format';
import { EXERCISE_TYPES } from '../domain/exercises';

export interface BiLstmLayer {
  kind: 'bilstm';
  name: string;
  units: number;
  returnSequences: boolean;
}
export interface AttentionLayer {
  kind: 'attention';
  name: string;
  heads: number;
  keyDim: number;
  /** Add the input to the output (default true; a Keras MultiHeadAttention followed by Add([x, mha])). */
  residual?: boolean;
}
export interface GlobalAvgPoolLayer {
  kind: 'globalAvgPool';
}
/** Dense activations the tfjs forward pass and the TFLite exporter both implement (Keras names; silu = swish). */
export const DENSE_ACTIVATIONS = [
  'relu',
  'linear',
  'sigmoid',
  'tanh',
  'relu6',
  'silu',
  'elu',
  'exponential',
  'softmax',
] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];
export interface DenseLayer {
  kind: 'dense';
  name: string;
  units: number;
  activation: DenseActivation;
}
/** Keras LayerNormalization over the last axis: params `${name}/gamma`, `${name}/beta` [F]. */
export interface LayerNormLayer {
  kind: 'layerNorm';
  name: string;
  epsilon: number;
}
/** Keras Rescaling with scalar scale/offset: y = x·scale + offset. */
export interface RescaleLayer {
  kind: 'rescale';
  scale: number;
  offset: number;
}
/** [T, F] → [T·F] (Keras Flatten, or a Reshape to one axis). */
export interface FlattenLayer {
  kind: 'flatten';
}
export interface BatchNormLayer {
  kind: 'batchNorm';
  name: string;
  epsilon: number;
  /** Moving-average momentum used in training only (Keras default 0.99; we use 0.9 for small data sets). */
  momentum: number;
}
export interface DropoutLayer {
  kind: 'dropout';
  rate: number;
}
export type LayerSpec =
  | BiLstmLayer
  | AttentionLayer
  | GlobalAvgPoolLayer
  | DenseLayer
  | BatchNormLayer
  | DropoutLayer
  | LayerNormLayer
  | RescaleLayer
  | FlattenLayer;

export type ModelKind = 'standard' | 'high-accuracy';

export interface ModelSpec {
  /** IR version; bump when the meaning of a field changes. */
  irVersion: 1;
  kind: ModelKind | string;
  numFrames: number;
  numFeatures: number;
  layers: LayerSpec[];
  heads: {
    /**
     * score = scale·act(h·kernel + bias). Defaults (the app's own models): sigmoid, ×100. An imported Keras
     * model with a linear score head keeps its numbers (scale 1) unless the user chose otherwise.
     */
    score: { name: 'score'; activation?: 'sigmoid' | 'linear'; scale?: number };
    /** Present only when the data has more than one exercise type. */
    exercise?: { name: 'exercise'; numClasses: number };
  };
}

export interface ParamSpec {
  name: string;
  shape: number[];
  trainable: boolean;
  /** Initializer used by `initParams`. */
  init: 'glorotUniform' | 'zeros' | 'ones' | 'lstmBias';
}

export interface ModelOptions {
  /** Add the 14-way exercise head (default true). Pass false when the data has a single exercise type. */
  exerciseHead?: boolean;
}

function heads(opts?: ModelOptions): ModelSpec['heads'] {
  return opts?.exerciseHead === false
    ? { score: { name: 'score' } }
    : { score: { name: 'score' }, exercise: { name: 'exercise', numClasses: EXERCISE_TYPES.length } };
}

/** Standard model: BiLSTM 256 → dense 128 (relu) → dropout 0.3 → heads. ≈0.86 M parameters. */
export function standardModel(numFrames = DEFAULT_NUM_FRAMES, opts?: ModelOptions): ModelSpec {
  return {
    irVersion: 1,
    kind: 'standard',
    numFrames,
    numFeatures: FEATURES_PER_FRAME,
    layers: [
      { kind: 'bilstm', name: 'bilstm1', units: 256, returnSequences: false },
      { kind: 'dense', name: 'dense1', units: 128, activation: 'relu' },
      { kind: 'dropout', rate: 0.3 },
    ],
    heads: heads(opts),
  };
}

/**
 * High-accuracy model: BiLSTM 512 (seq) → BiLSTM 256 (seq) → 8-head self-attention (keyDim 64, residual)
 * → global average pool → [dense 512 relu → batchNorm → dropout 0.3] → [256 …] → [128 …] → heads. ≈6.7 M parameters.
 */
export function highAccuracyModel(numFrames = DEFAULT_NUM_FRAMES, opts?: ModelOptions): ModelSpec {
  const block = (i: number, units: number): LayerSpec[] => [
    { kind: 'dense', name: `dense${i}`, units, activation: 'relu' },
    { kind: 'batchNorm', name: `bn${i}`, epsilon: 1e-3, momentum: 0.9 },
    { kind: 'dropout', rate: 0.3 },
  ];
  return {
    irVersion: 1,
    kind: 'high-accuracy',
    numFrames,
    numFeatures: FEATURES_PER_FRAME,
    layers: [
      { kind: 'bilstm', name: 'bilstm1', units: 512, returnSequences: true },
      { kind: 'bilstm', name: 'bilstm2', units: 256, returnSequences: true },
      { kind: 'attention', name: 'attention', heads: 8, keyDim: 64 },
      { kind: 'globalAvgPool' },
      ...block(1, 512),
      ...block(2, 256),
      ...block(3, 128),
    ],
    heads: heads(opts),
  };
}

export function buildModelSpec(kind: ModelKind, numFrames = DEFAULT_NUM_FRAMES, opts?: ModelOptions): ModelSpec {
  return kind === 'standard' ? standardModel(numFrames, opts) : highAccuracyModel(numFrames, opts);
}

/** Output shape (without batch) after each layer; throws on an invalid layer order. */
export function layerOutputShapes(spec: ModelSpec): number[][] {
  let shape = [spec.numFrames, spec.numFeatures];
  const out: number[][] = [];
  for (const l of spec.layers) {
    const feat = shape[shape.length - 1];
    switch (l.kind) {
      case 'bilstm':
        if (shape.length !== 2) throw new Error(`${l.name}: bilstm needs a sequence input`);
        shape = l.returnSequences ? [shape[0], 2 * l.units] : [2 * l.units];
        break;
      case 'attention':
        if (shape.length !== 2) throw new Error(`${l.name}: attention needs a sequence input`);
        break;
      case 'globalAvgPool':
        if (shape.length !== 2) throw new Error('globalAvgPool needs a sequence input');
        shape = [feat];
        break;
      case 'dense':
        shape = [...shape.slice(0, -1), l.units];
        break;
      case 'flatten':
        if (shape.length !== 2) throw new Error('flatten needs a sequence input');
        shape = [shape[0] * shape[1]];
        break;
      case 'batchNorm':
      case 'dropout':
      case 'layerNorm':
      case 'rescale':
        break;
    }
    out.push(shape);
  }
  if (shape.length !== 1) throw new Error('the heads need a rank-2 [batch, features] input');
  return out;
}

/** All parameters in canonical order with shapes. */
export function paramSpecs(spec: ModelSpec): ParamSpec[] {
  const ps: ParamSpec[] = [];
  let feat = spec.numFeatures;
  const shapes = layerOutputShapes(spec);
  spec.layers.forEach((l, idx) => {
    switch (l.kind) {
      case 'bilstm':
        for (const d of ['fw', 'bw']) {
          ps.push({
            name: `${l.name}/${d}/kernel`,
            shape: [feat, 4 * l.units],
            trainable: true,
            init: 'glorotUniform',
          });
          ps.push({
            name: `${l.name}/${d}/recurrent_kernel`,
            shape: [l.units, 4 * l.units],
            trainable: true,
            init: 'glorotUniform',
          });
          ps.push({ name: `${l.name}/${d}/bias`, shape: [4 * l.units], trainable: true, init: 'lstmBias' });
        }
        break;
      case 'attention': {
        const hk = l.heads * l.keyDim;
        for (const p of ['q', 'k', 'v']) {
          ps.push({ name: `${l.name}/w${p}`, shape: [feat, hk], trainable: true, init: 'glorotUniform' });
          ps.push({ name: `${l.name}/b${p}`, shape: [hk], trainable: true, init: 'zeros' });
        }
        ps.push({ name: `${l.name}/wo`, shape: [hk, feat], trainable: true, init: 'glorotUniform' });
        ps.push({ name: `${l.name}/bo`, shape: [feat], trainable: true, init: 'zeros' });
        break;
      }
      case 'dense':
        ps.push({ name: `${l.name}/kernel`, shape: [feat, l.units], trainable: true, init: 'glorotUniform' });
        ps.push({ name: `${l.name}/bias`, shape: [l.units], trainable: true, init: 'zeros' });
        break;
      case 'batchNorm':
        ps.push({ name: `${l.name}/gamma`, shape: [feat], trainable: true, init: 'ones' });
        ps.push({ name: `${l.name}/beta`, shape: [feat], trainable: true, init: 'zeros' });
        ps.push({ name: `${l.name}/moving_mean`, shape: [feat], trainable: false, init: 'zeros' });
        ps.push({ name: `${l.name}/moving_variance`, shape: [feat], trainable: false, init: 'ones' });
        break;
      case 'layerNorm':
        ps.push({ name: `${l.name}/gamma`, shape: [feat], trainable: true, init: 'ones' });
        ps.push({ name: `${l.name}/beta`, shape: [feat], trainable: true, init: 'zeros' });
        break;
      default:
        break;
    }
    const s = shapes[idx];
    feat = s[s.length - 1];
  });
  ps.push({ name: 'score/kernel', shape: [feat, 1], trainable: true, init: 'glorotUniform' });
  ps.push({ name: 'score/bias', shape: [1], trainable: true, init: 'zeros' });
  if (spec.heads.exercise) {
    const n = spec.heads.exercise.numClasses;
    ps.push({ name: 'exercise/kernel', shape: [feat, n], trainable: true, init: 'glorotUniform' });
    ps.push({ name: 'exercise/bias', shape: [n], trainable: true, init: 'zeros' });
  }
  return ps;
}

export interface ParamCount {
  total: number;
  trainable: number;
  nonTrainable: number;
  perLayer: Record<string, number>;
}

export function countParams(spec: ModelSpec): ParamCount {
  const perLayer: Record<string, number> = {};
  let trainable = 0;
  let nonTrainable = 0;
  for (const p of paramSpecs(spec)) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const layer = p.name.split('/')[0];
    perLayer[layer] = (perLayer[layer] ?? 0) + n;
    if (p.trainable) trainable += n;
    else nonTrainable += n;
  }
  return { total: trainable + nonTrainable, trainable, nonTrainable, perLayer };
}

/**
 * Approximate floating-point operations for ONE sample's forward pass (multiply-add = 2 FLOPs; matrix products only,
 * elementwise work ignored). A training step is ≈3× this (forward + two products per matrix in backward).
 */
export function forwardFlops(spec: ModelSpec): number {
  let flops = 0;
  let shape = [spec.numFrames, spec.numFeatures];
  const shapes = layerOutputShapes(spec);
  spec.layers.forEach((l, idx) => {
    const feat = shape[shape.length - 1];
    const T = shape.length === 2 ? shape[0] : 1;
    if (l.kind === 'bilstm') flops += 2 * T * 2 * (feat + l.units) * 4 * l.units;
    else if (l.kind === 'attention') {
      const hk = l.heads * l.keyDim;
      flops += 2 * T * feat * hk * 3 + 2 * T * hk * feat + 2 * 2 * l.heads * T * T * l.keyDim;
    } else if (l.kind === 'dense') flops += 2 * T * feat * l.units;
    shape = shapes[idx];
  });
  const feat = shape[shape.length - 1];
  flops += 2 * feat * (1 + (spec.heads.exercise?.numClasses ?? 0));
  return flops;
}
