/**
 * Exporter: model IR + trained parameters → a builtin-ops-only .tflite.
 *
 * - Input `keypoints` float32 [1, N, 132]; outputs `score` [1, 1] (sigmoid(dense) × 100) and, when the
 *   model has an exercise head, `exercise_probs` [1, K] (softmax). SignatureDef "serving_default".
 * - LSTMs are unrolled over the fixed N frames with FULLY_CONNECTED / ADD / MUL / LOGISTIC / TANH /
 *   SPLIT / CONCATENATION (batch fixed at 1, no state between calls). The input projection of every
 *   frame is one FULLY_CONNECTED over [N, D]; only the recurrent projection runs per step.
 * - Attention: FULLY_CONNECTED projections, RESHAPE/TRANSPOSE per head, BATCH_MATMUL, SOFTMAX, residual ADD.
 * - Batch norm is folded into a neighbouring dense layer when `optimize` (default), else MUL + ADD.
 *   Dropout is removed.
 * - Weights: float32, float16 (fp16 constants + DEQUANTIZE), or int8 dynamic-range (int8 FULLY_CONNECTED
 *   weights, per-channel or per-tensor symmetric scales, float activations: the hybrid kernels).
 * Pure TypeScript.
 */
import { writeTflite } from './writer';
import {
  ExportError,
  getParam,
  Emitter,
  emitBiLstm,
  emitAttention,
  emitLayerNorm,
  denseAct,
  emitActivation,
  type Affine,
} from './emitter';
import { readTflite } from './reader';
import type { ModelSpec, DenseActivation } from '../model/architecture';
import { EXERCISE_TYPES } from '../domain/exercises';
import { preprocessingBlock } from '../scoring/preprocessing';

export const KEYPOINT_FEATURES = 132;
export const FORM_STUDIO_METADATA = 'form_studio';

// ---- IR accepted by the exporter (structural; matches src-shared/model/architecture.ts) ----

export type ExportLayer =
  | { kind: 'bilstm'; name: string; units: number; returnSequences: boolean }
  | { kind: 'attention'; name: string; heads: number; keyDim: number; residual?: boolean }
  | { kind: 'globalAvgPool'; name?: string }
  | { kind: 'dense'; name: string; units: number; activation: DenseActivation }
  | { kind: 'batchNorm'; name: string; epsilon: number }
  | { kind: 'dropout'; name?: string; rate?: number }
  | { kind: 'layerNorm'; name: string; epsilon: number }
  | { kind: 'rescale'; scale: number; offset: number }
  | { kind: 'flatten' };

export interface ExportArchitecture {
  /** e.g. 'standard' | 'high_accuracy' (free text, goes into metadata). */
  kind?: string;
  numFrames?: number;
  featuresPerFrame?: number;
  layers: readonly ExportLayer[];
  /** Number of exercise classes; ≤ 1 means no exercise head. */
  numExercises?: number;
  /** Parameter name prefixes of the heads (`${prefix}/kernel`, `${prefix}/bias`). */
  scoreHead?: string;
  exerciseHead?: string;
  /** score = scoreScale·act(logit); defaults sigmoid and 100 (the app's own models). */
  scoreActivation?: 'sigmoid' | 'linear';
  scoreScale?: number;
}

export type ParamValue =
  | Float32Array
  | { data: Float32Array; shape?: readonly number[] }
  | { dataSync(): Float32Array | ArrayLike<number>; shape: readonly number[] };
export type ParamMap = Record<string, ParamValue> | Map<string, ParamValue>;

export type WeightMode = 'float32' | 'float16' | 'int8';

export interface ExportOptions {
  /** Weight storage. Default 'float32'. */
  weights?: WeightMode;
  /** Fold batch norm and attention scaling into dense weights. Default true. */
  optimize?: boolean;
  /** int8 only: one scale per output channel (default true) or one per tensor. */
  perChannel?: boolean;
  /** Frames per clip; default arch.numFrames ?? 24. */
  numFrames?: number;
  /** Exercise labels in class order (metadata; length must equal the exercise head's width). */
  exerciseLabels?: readonly string[];
  /** The classes the model was trained on (a subset of the labels): the app masks the exercise head to them. */
  trainedExercises?: readonly string[] | null;
  /** Free-form description of the input normalization for the metadata. */
  normalization?: string;
  /** Extra metadata merged into the "form_studio" JSON. */
  extraMetadata?: Record<string, unknown>;
  /** Version string of the app/model stored in metadata. */
  version?: string;
}

export interface ExportResult {
  bytes: Uint8Array;
  /** Op histogram, e.g. { FULLY_CONNECTED: 120, ... }. */
  ops: Record<string, number>;
  numTensors: number;
  /** Bytes of constant data (weights) in the file. */
  weightBytes: number;
  metadata: Record<string, unknown>;
}

export const DEFAULT_NORMALIZATION =
  'MediaPipe BlazePose landmarks, 33 × (x, y, z, visibility) per frame, landmark-major; each frame hip-centred, x scaled by width/height, x/y/z divided by the clip\'s median torso length; missing frame = all zeros. Exact steps: the "preprocessing" block';

/** The model IR of src-shared/model/architecture.ts (ModelSpec) in the exporter's form. */
export function toExportArchitecture(spec: ModelSpec | ExportArchitecture): ExportArchitecture {
  if (!('heads' in spec)) return spec;
  return {
    kind: String(spec.kind),
    numFrames: spec.numFrames,
    featuresPerFrame: spec.numFeatures,
    layers: spec.layers,
    numExercises: spec.heads.exercise?.numClasses ?? 0,
    scoreHead: spec.heads.score.name,
    scoreActivation: spec.heads.score.activation ?? 'sigmoid',
    scoreScale: spec.heads.score.scale ?? 100,
    ...(spec.heads.exercise ? { exerciseHead: spec.heads.exercise.name } : {}),
  };
}

/**
 * Export a model (ModelSpec from src-shared/model/architecture.ts, or the exporter's own ExportArchitecture)
 * with its parameters (flat name → Float32Array map, `paramSpecs` names) to .tflite bytes.
 */
export function exportTflite(
  model: ModelSpec | ExportArchitecture,
  params: ParamMap,
  options: ExportOptions = {},
): ExportResult {
  const arch = toExportArchitecture(model);
  const mode = options.weights ?? 'float32';
  const optimize = options.optimize ?? true;
  const N = options.numFrames ?? arch.numFrames ?? 24;
  const F0 = arch.featuresPerFrame ?? KEYPOINT_FEATURES;
  const em = new Emitter(mode, options.perChannel ?? true);
  const g = em.g;

  const input = g.addTensor('keypoints', [1, N, F0]);
  // Internal layout: a sequence is [N, D] (batch 1 dropped), a feature vector is [1, D].
  let x = g.reshape('seq0', input, [N, F0]);
  let isSeq = true;
  let dim = F0;
  let pending: Affine | null = null;

  const layers = arch.layers.filter((l) => l.kind !== 'dropout');

  /** Apply a pending affine as MUL + ADD (when it cannot be folded). */
  const flushAffine = (name: string) => {
    if (!pending) return;
    const s = g.constF32(`${name}/scale`, [dim], pending.scale);
    const t = g.constF32(`${name}/shift`, [dim], pending.shift);
    x = g.add(`${name}/add`, g.mul(`${name}/mul`, x, s), t);
    pending = null;
  };

  /** Fold a pending affine into the next dense's kernel [in, out] and bias. */
  const absorbInto = (
    kernel: Float32Array,
    bias: Float32Array,
    inDim: number,
    outDim: number,
  ): [Float32Array, Float32Array] => {
    if (!pending) return [kernel, bias];
    const k = new Float32Array(kernel.length);
    const b = Float32Array.from(bias);
    for (let i = 0; i < inDim; i++) {
      const s = pending.scale[i];
      const t = pending.shift[i];
      for (let o = 0; o < outDim; o++) {
        const w = kernel[i * outDim + o];
        k[i * outDim + o] = w * s;
        b[o] += t * w;
      }
    }
    return [k, b];
  };

  for (let li = 0; li < layers.length; li++) {
    const layer = layers[li];
    switch (layer.kind) {
      case 'batchNorm': {
        const p = (n: string) => getParam(params, `${layer.name}/${n}`, [dim]).data;
        const gamma = p('gamma');
        const beta = p('beta');
        const mean = p('moving_mean');
        const variance = p('moving_variance');
        const scale = new Float32Array(dim);
        const shift = new Float32Array(dim);
        for (let i = 0; i < dim; i++) {
          scale[i] = gamma[i] / Math.sqrt(variance[i] + layer.epsilon);
          shift[i] = beta[i] - mean[i] * scale[i];
        }
        // Compose with an already-pending affine (BN after BN).
        if (pending) {
          const prev: Affine = pending;
          for (let i = 0; i < dim; i++) {
            shift[i] = prev.shift[i] * scale[i] + shift[i];
            scale[i] = prev.scale[i] * scale[i];
          }
        }
        pending = { scale, shift };
        if (!optimize) flushAffine(layer.name);
        break;
      }
      case 'dense': {
        let kernel = getParam(params, `${layer.name}/kernel`, [dim, layer.units]).data;
        let bias = getParam(params, `${layer.name}/bias`, [layer.units]).data;
        if (pending) [kernel, bias] = absorbInto(kernel, bias, dim, layer.units);
        pending = null;
        // Fold a following batch norm into this dense when there is no nonlinearity in between.
        let next = layers[li + 1];
        while (optimize && layer.activation === 'linear' && next && next.kind === 'batchNorm') {
          const bn = next;
          const p = (n: string) => getParam(params, `${bn.name}/${n}`, [layer.units]).data;
          const gamma = p('gamma');
          const beta = p('beta');
          const mean = p('moving_mean');
          const variance = p('moving_variance');
          const k = Float32Array.from(kernel);
          const b = Float32Array.from(bias);
          for (let o = 0; o < layer.units; o++) {
            const s = gamma[o] / Math.sqrt(variance[o] + bn.epsilon);
            for (let i = 0; i < dim; i++) k[i * layer.units + o] *= s;
            b[o] = (b[o] - mean[o]) * s + beta[o];
          }
          kernel = k;
          bias = b;
          li++;
          next = layers[li + 1];
        }
        x = emitActivation(
          g,
          layer.name,
          em.dense(layer.name, x, kernel, bias, dim, layer.units, denseAct(layer.activation)),
          layer.activation,
        );
        dim = layer.units;
        break;
      }
      case 'bilstm': {
        if (!isSeq)
          throw new ExportError(
            `${layer.name}: a bilstm needs a sequence input, but the previous layer returned a vector`,
          );
        flushAffine(`${layer.name}/in_bn`);
        const out = emitBiLstm(em, params, layer.name, x, N, dim, layer.units, layer.returnSequences);
        x = out;
        dim = 2 * layer.units;
        isSeq = layer.returnSequences;
        break;
      }
      case 'attention': {
        if (!isSeq) throw new ExportError(`${layer.name}: attention needs a sequence input`);
        flushAffine(`${layer.name}/in_bn`);
        x = emitAttention(
          em,
          params,
          layer.name,
          x,
          N,
          dim,
          layer.heads,
          layer.keyDim,
          optimize,
          layer.residual ?? true,
        );
        break;
      }
      case 'layerNorm':
        flushAffine(`${layer.name}/in_bn`);
        x = emitLayerNorm(em, params, layer.name, x, dim, layer.epsilon);
        break;
      case 'rescale': {
        // A scalar affine: compose it into the pending per-feature affine (folded into the next dense).
        const prev: Affine = pending ?? { scale: new Float32Array(dim).fill(1), shift: new Float32Array(dim) };
        pending = {
          scale: prev.scale.map((v: number) => v * layer.scale),
          shift: prev.shift.map((v: number) => v * layer.scale + layer.offset),
        };
        if (!optimize) flushAffine('rescale');
        break;
      }
      case 'flatten': {
        if (!isSeq) throw new ExportError('flatten needs a sequence input');
        flushAffine('flatten/in_bn');
        x = g.reshape('flatten', x, [1, N * dim]);
        dim = N * dim;
        isSeq = false;
        break;
      }
      case 'globalAvgPool': {
        if (!isSeq) throw new ExportError('globalAvgPool needs a sequence input');
        // Mean commutes with a per-feature affine: keep it pending.
        x = g.mean(layer.name ?? 'pool', x, [0], true);
        isSeq = false;
        break;
      }
      default: {
        const k = (layer as { kind: string }).kind;
        throw new ExportError(`unsupported layer kind "${k}"`);
      }
    }
  }
  if (isSeq)
    throw new ExportError(
      'the model must end in a vector (globalAvgPool or a bilstm with returnSequences=false) before the heads',
    );

  // Heads.
  const scoreName = arch.scoreHead ?? 'score';
  const sk = getParam(params, `${scoreName}/kernel`, [dim, 1]).data;
  const sb = getParam(params, `${scoreName}/bias`, [1]).data;
  const exName = arch.exerciseHead ?? 'exercise';
  const hasExerciseHead =
    (arch.numExercises ?? 0) > 1 ||
    (arch.numExercises === undefined &&
      (params instanceof Map ? params.has(`${exName}/kernel`) : `${exName}/kernel` in params));
  let affineForHeads: Affine | null = pending;
  if (!optimize && affineForHeads) {
    flushAffine('head_bn');
    affineForHeads = null;
  }
  pending = affineForHeads;
  // The heads are tiny and map straight to the outputs: keep them in float32 in every weight mode
  // (fp16 rounding of the score head alone moved the score by ~0.01 points on random weights).
  em.compress = false;
  const [sk2, sb2] = absorbInto(sk, sb, dim, 1);
  const logit = em.dense('score_logit', x, sk2, sb2, dim, 1, 'none');
  const scoreLinear = arch.scoreActivation === 'linear';
  const scoreScale = arch.scoreScale ?? 100;
  const sig = scoreLinear ? logit : g.logistic('score_sigmoid', logit);
  const score = g.mul('score', sig, g.constF32('score/scale', [1], [scoreScale]));
  const outputs = [{ name: 'score', tensor: score }];
  let numExercises = 0;
  if (hasExerciseHead) {
    const ekParam = getParam(params, `${exName}/kernel`);
    numExercises = arch.numExercises ?? ekParam.data.length / dim;
    const ek = getParam(params, `${exName}/kernel`, [dim, numExercises]).data;
    const eb = getParam(params, `${exName}/bias`, [numExercises]).data;
    const [ek2, eb2] = absorbInto(ek, eb, dim, numExercises);
    const elogits = em.dense('exercise_logits', x, ek2, eb2, dim, numExercises, 'none');
    const probs = g.softmax('exercise_probs', elogits, 1);
    outputs.push({ name: 'exercise_probs', tensor: probs });
  }
  pending = null;

  if (options.exerciseLabels && numExercises > 0 && options.exerciseLabels.length !== numExercises) {
    throw new ExportError(
      `exerciseLabels has ${options.exerciseLabels.length} entries but the exercise head has ${numExercises} classes`,
    );
  }
  // Default labels: the app's 14 exercise types (class index = EXERCISE_TYPES index).
  const labels = options.exerciseLabels ?? (numExercises === EXERCISE_TYPES.length ? EXERCISE_TYPES : []);
  const trained = numExercises > 0 && options.trainedExercises?.length ? [...options.trainedExercises] : null;
  const unknown = trained?.filter((t) => !labels.includes(t)) ?? [];
  if (unknown.length) throw new ExportError(`trainedExercises ${unknown.join(', ')} are not exercise labels`);
  const metadata: Record<string, unknown> = {
    format: 'form-studio-scorer',
    formatVersion: 1,
    modelKind: arch.kind ?? 'custom',
    numFrames: N,
    featuresPerFrame: F0,
    input: { name: 'keypoints', shape: [1, N, F0], dtype: 'float32' },
    outputs: {
      score: scoreLinear
        ? { shape: [1, 1], description: `form quality score = logit × ${scoreScale} (linear head)` }
        : { shape: [1, 1], range: [0, scoreScale], description: `form quality score = sigmoid(logit) × ${scoreScale}` },
      ...(numExercises > 0
        ? { exercise_probs: { shape: [1, numExercises], description: 'softmax over exerciseLabels' } }
        : {}),
    },
    normalization: options.normalization ?? DEFAULT_NORMALIZATION,
    // The input contract, step by step, for a phone app (see README "Using the exported model in your app").
    preprocessing: preprocessingBlock({
      numFrames: N,
      scoreActivation: scoreLinear ? 'linear' : 'sigmoid',
      scoreScale,
      exerciseLabels: numExercises > 0 ? labels : [],
      trainedExercises: trained,
    }),
    exerciseLabels: [...labels],
    ...(trained ? { trainedExercises: trained } : {}),
    weights: mode,
    ...(mode === 'int8'
      ? { quantization: options.perChannel === false ? 'dynamic-range per-tensor' : 'dynamic-range per-channel' }
      : {}),
    batchNormFolded: optimize,
    layers: arch.layers.map((l) => l.kind),
    ...(options.version ? { version: options.version } : {}),
    ...(options.extraMetadata ?? {}),
  };
  const metaBuf = g.addBuffer(new TextEncoder().encode(JSON.stringify(metadata)));
  const minRt = g.addBuffer(new TextEncoder().encode('2.3.0\0'.padEnd(16, '\0')));
  const description = `Form Studio ${arch.kind ?? ''} scorer: keypoints [1,${N},${F0}] → score [1,1]${numExercises > 0 ? ` + exercise_probs [1,${numExercises}]` : ''} (${mode})`;
  const bytes = writeTflite(
    g.toModel({
      inputs: [{ name: 'keypoints', tensor: input }],
      outputs,
      description,
      metadata: [
        { name: 'min_runtime_version', buffer: minRt },
        { name: FORM_STUDIO_METADATA, buffer: metaBuf },
      ],
    }),
  );
  const ops: Record<string, number> = {};
  for (const op of readTflite(bytes).subgraphs[0].operators) ops[op.opName] = (ops[op.opName] ?? 0) + 1;
  const weightBytes = g.tensors.reduce((n, t) => n + (t.buffer ? (g.buffers[t.buffer].data?.length ?? 0) : 0), 0);
  return { bytes, ops, numTensors: g.tensors.length, weightBytes, metadata };
}
