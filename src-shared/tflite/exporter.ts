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
import { GraphBuilder, type Activation } from './graph';
import { TensorType } from './schema';
import { writeTflite } from './writer';
import { quantizeInt8Symmetric, toFloat16 } from './quantize';
import { readTflite } from './reader';
import type { ModelSpec } from '../model/architecture';
import { EXERCISE_TYPES } from '../domain/exercises';

export const KEYPOINT_FEATURES = 132;
export const FORM_STUDIO_METADATA = 'form_studio';

// ---- IR accepted by the exporter (structural; matches src-shared/model/architecture.ts) ----

export type ExportLayer =
  | { kind: 'bilstm'; name: string; units: number; returnSequences: boolean }
  | { kind: 'attention'; name: string; heads: number; keyDim: number }
  | { kind: 'globalAvgPool'; name?: string }
  | { kind: 'dense'; name: string; units: number; activation: 'relu' | 'linear' }
  | { kind: 'batchNorm'; name: string; epsilon: number }
  | { kind: 'dropout'; name?: string; rate?: number };

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
}

export type ParamValue = Float32Array | { data: Float32Array; shape?: readonly number[] } | { dataSync(): Float32Array | ArrayLike<number>; shape: readonly number[] };
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
  'MediaPipe BlazePose landmarks, 33 × (x, y, z, visibility) per frame, landmark-major; missing frame = all zeros';

class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

interface Tensor2 {
  data: Float32Array;
  shape: number[];
}

function getParam(params: ParamMap, name: string, expected?: readonly number[]): Tensor2 {
  const v = params instanceof Map ? params.get(name) : params[name];
  if (v === undefined) throw new ExportError(`missing parameter "${name}"`);
  let data: Float32Array;
  let shape: number[] | undefined;
  if (v instanceof Float32Array) data = v;
  else if ('data' in v) {
    data = v.data;
    shape = v.shape ? [...v.shape] : undefined;
  } else {
    const d = v.dataSync();
    data = d instanceof Float32Array ? d : Float32Array.from(d);
    shape = [...v.shape];
  }
  if (expected) {
    const n = expected.reduce((p, d) => p * d, 1);
    if (data.length !== n) throw new ExportError(`parameter "${name}" has ${data.length} values, expected shape [${expected}]`);
    if (shape && shape.join(',') !== expected.join(',')) throw new ExportError(`parameter "${name}" has shape [${shape}], expected [${expected}]`);
    shape = [...expected];
  }
  return { data, shape: shape ?? [data.length] };
}

/** [rows, cols] → [cols, rows] */
function transpose2d(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** Per-feature affine y = x·scale + shift waiting to be absorbed (batch norm). */
interface Affine {
  scale: Float32Array;
  shift: Float32Array;
}

class Emitter {
  readonly g = new GraphBuilder();
  constructor(
    readonly mode: WeightMode,
    readonly perChannel: boolean,
  ) {}

  /** When false, float16 mode keeps new constants in float32 (used for the small output heads). */
  compress = true;

  /** Constant that mode float16 stores as fp16 (+ DEQUANTIZE) when it has ≥ 16 values. */
  floatConst(name: string, shape: number[], data: Float32Array): number {
    if (this.mode === 'float16' && this.compress && data.length >= 16) {
      const h = this.g.addConst(`${name}/fp16`, shape, TensorType.FLOAT16, toFloat16(data));
      return this.g.dequantize(name, h);
    }
    return this.g.constF32(name, shape, data);
  }

  /** FULLY_CONNECTED weights, given as Keras [in, out]; emitted as TFLite [out, in]. */
  fcWeights(name: string, kernelInOut: Float32Array, inDim: number, outDim: number): number {
    const w = transpose2d(kernelInOut, inDim, outDim);
    if (this.mode === 'int8' && this.compress) {
      const q = quantizeInt8Symmetric(w, outDim, inDim, this.perChannel);
      return this.g.addConst(name, [outDim, inDim], TensorType.INT8, q.data, {
        scale: q.scale,
        zeroPoint: q.zeroPoint,
        quantizedDimension: 0,
      });
    }
    return this.floatConst(name, [outDim, inDim], w);
  }

  dense(name: string, x: number, kernelInOut: Float32Array, bias: Float32Array | null, inDim: number, outDim: number, act: Activation): number {
    const w = this.fcWeights(`${name}/w`, kernelInOut, inDim, outDim);
    const b = bias ? this.floatConst(`${name}/b`, [outDim], bias) : -1;
    return this.g.fullyConnected(name, x, w, b, act);
  }
}


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
    ...(spec.heads.exercise ? { exerciseHead: spec.heads.exercise.name } : {}),
  };
}

/**
 * Export a model (ModelSpec from src-shared/model/architecture.ts, or the exporter's own ExportArchitecture)
 * with its parameters (flat name → Float32Array map, `paramSpecs` names) to .tflite bytes.
 */
export function exportTflite(model: ModelSpec | ExportArchitecture, params: ParamMap, options: ExportOptions = {}): ExportResult {
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
  const absorbInto = (kernel: Float32Array, bias: Float32Array, inDim: number, outDim: number): [Float32Array, Float32Array] => {
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
        x = em.dense(layer.name, x, kernel, bias, dim, layer.units, layer.activation === 'relu' ? 'relu' : 'none');
        dim = layer.units;
        break;
      }
      case 'bilstm': {
        if (!isSeq) throw new ExportError(`${layer.name}: a bilstm needs a sequence input, but the previous layer returned a vector`);
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
        x = emitAttention(em, params, layer.name, x, N, dim, layer.heads, layer.keyDim, optimize);
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
  if (isSeq) throw new ExportError('the model must end in a vector (globalAvgPool or a bilstm with returnSequences=false) before the heads');

  // Heads.
  const scoreName = arch.scoreHead ?? 'score';
  const sk = getParam(params, `${scoreName}/kernel`, [dim, 1]).data;
  const sb = getParam(params, `${scoreName}/bias`, [1]).data;
  const exName = arch.exerciseHead ?? 'exercise';
  const hasExerciseHead =
    (arch.numExercises ?? 0) > 1 || (arch.numExercises === undefined && (params instanceof Map ? params.has(`${exName}/kernel`) : `${exName}/kernel` in params));
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
  const sig = g.logistic('score_sigmoid', logit);
  const score = g.mul('score', sig, g.constF32('score/x100', [1], [100]));
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
    throw new ExportError(`exerciseLabels has ${options.exerciseLabels.length} entries but the exercise head has ${numExercises} classes`);
  }
  // Default labels: the app's 14 exercise types (class index = EXERCISE_TYPES index).
  const labels = options.exerciseLabels ?? (numExercises === EXERCISE_TYPES.length ? EXERCISE_TYPES : []);
  const metadata: Record<string, unknown> = {
    format: 'form-studio-scorer',
    formatVersion: 1,
    modelKind: arch.kind ?? 'custom',
    numFrames: N,
    featuresPerFrame: F0,
    input: { name: 'keypoints', shape: [1, N, F0], dtype: 'float32' },
    outputs: {
      score: { shape: [1, 1], range: [0, 100], description: 'form quality score = sigmoid(logit) × 100' },
      ...(numExercises > 0 ? { exercise_probs: { shape: [1, numExercises], description: 'softmax over exerciseLabels' } } : {}),
    },
    normalization: options.normalization ?? DEFAULT_NORMALIZATION,
    exerciseLabels: [...labels],
    weights: mode,
    ...(mode === 'int8' ? { quantization: options.perChannel === false ? 'dynamic-range per-tensor' : 'dynamic-range per-channel' } : {}),
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

function emitBiLstm(em: Emitter, params: ParamMap, name: string, seq: number, N: number, D: number, H: number, returnSequences: boolean): number {
  const g = em.g;
  const dirs = ['fw', 'bw'] as const;
  const finals: number[] = [];
  const seqs: number[] = [];
  for (const dir of dirs) {
    const p = `${name}/${dir}`;
    // Keras gate order is i, f, c(g), o; reorder columns to i, f, o, g so one LOGISTIC covers i, f, o.
    const kernel = reorderGates(getParam(params, `${p}/kernel`, [D, 4 * H]).data, D, H);
    const rec = reorderGates(getParam(params, `${p}/recurrent_kernel`, [H, 4 * H]).data, H, H);
    const bias = reorderGates(getParam(params, `${p}/bias`, [4 * H]).data, 1, H);
    // Input projection for all frames at once: [N, D] → [N, 4H].
    const xp = em.dense(`${p}/xproj`, seq, kernel, bias, D, 4 * H, 'none');
    const rows = N === 1 ? [xp] : g.split(`${p}/x`, xp, 0, N);
    const wr = em.fcWeights(`${p}/wr`, rec, H, 4 * H);
    const order = dir === 'fw' ? [...Array(N).keys()] : [...Array(N).keys()].reverse();
    g.sharedNamePrefixes.push(`${p}/step/`);
    const hs: number[] = new Array(N);
    let h = -1;
    let c = -1;
    for (const t of order) {
      // Per-step intermediates share one name per role (stored once); h and c are named per frame.
      const s = `${p}/step`;
      const z = h < 0 ? rows[t] : g.add(`${s}/z`, rows[t], g.fullyConnected(`${s}/hr`, h, wr, -1));
      const [zifo, zg] = g.splitV(`${s}/z`, z, [3 * H, H], 1);
      const [i, f, o] = g.split(`${s}/ifo`, g.logistic(`${s}/sig`, zifo), 1, 3);
      const ig = g.mul(`${s}/ig`, i, g.tanh(`${s}/g`, zg));
      c = c < 0 ? ig : g.add(`${p}/c${t}`, g.mul(`${s}/fc`, f, c), ig);
      h = g.mul(`${p}/h${t}`, o, g.tanh(`${s}/tc`, c));
      hs[t] = h;
    }
    finals.push(h);
    if (returnSequences) seqs.push(N === 1 ? hs[0] : g.concat(`${p}/seq`, hs, 0));
  }
  if (returnSequences) return g.concat(`${name}/out`, seqs, 1);
  return g.concat(`${name}/out`, finals, 1);
}

/** Columns of a [rows, 4H] Keras LSTM matrix from gate order i,f,c,o to i,f,o,c. */
function reorderGates(a: Float32Array, rows: number, H: number): Float32Array {
  const out = new Float32Array(a.length);
  const src = [0, 1, 3, 2]; // destination block k takes source block src[k]
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < 4; k++) out.set(a.subarray(r * 4 * H + src[k] * H, r * 4 * H + (src[k] + 1) * H), r * 4 * H + k * H);
  return out;
}

function emitAttention(
  em: Emitter,
  params: ParamMap,
  name: string,
  seq: number,
  N: number,
  D: number,
  heads: number,
  keyDim: number,
  optimize: boolean,
): number {
  const g = em.g;
  const HK = heads * keyDim;
  const P = (n: string, shape: number[]) => getParam(params, `${name}/${n}`, shape).data;
  const scale = 1 / Math.sqrt(keyDim);
  let wq = P('wq', [D, HK]);
  let bq = P('bq', [HK]);
  if (optimize) {
    wq = wq.map((v) => v * scale);
    bq = bq.map((v) => v * scale);
  }
  const q = em.dense(`${name}/q`, seq, wq, bq, D, HK, 'none');
  const k = em.dense(`${name}/k`, seq, P('wk', [D, HK]), P('bk', [HK]), D, HK, 'none');
  const v = em.dense(`${name}/v`, seq, P('wv', [D, HK]), P('bv', [HK]), D, HK, 'none');
  const perHead = (t: number, tag: string) =>
    heads === 1 ? t : g.transpose(`${name}/${tag}_heads`, g.reshape(`${name}/${tag}_split`, t, [N, heads, keyDim]), [1, 0, 2]);
  const qh = perHead(q, 'q');
  const kh = perHead(k, 'k');
  const vh = perHead(v, 'v');
  let scores = g.batchMatMul(`${name}/scores`, qh, kh, false, true); // [h, N, N]
  if (!optimize) scores = g.mul(`${name}/scaled`, scores, g.constF32(`${name}/scale`, [1], [scale]));
  const probs = g.softmax(`${name}/probs`, scores, 1);
  let ctx = g.batchMatMul(`${name}/ctx`, probs, vh); // [h, N, kd]
  if (heads > 1) ctx = g.reshape(`${name}/ctx_merge`, g.transpose(`${name}/ctx_t`, ctx, [1, 0, 2]), [N, HK]);
  const o = em.dense(`${name}/o`, ctx, P('wo', [HK, D]), P('bo', [D]), HK, D, 'none');
  return g.add(`${name}/residual`, seq, o);
}

