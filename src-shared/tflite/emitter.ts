/**
 * Building blocks of the TFLite exporter (exporter.ts): the weight-mode aware emitter and the per-layer
 * emitters (BiLSTM unrolled over the frames, attention, layer norm, dense activations). Pure TypeScript.
 */
import { GraphBuilder, type Activation } from './graph';
import { TensorType } from './schema';
import { quantizeInt8Symmetric, toFloat16 } from './quantize';
import type { ParamMap, WeightMode } from './export-types';
import type { DenseActivation } from '../model/architecture';

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

interface Tensor2 {
  data: Float32Array;
  shape: number[];
}

export function getParam(params: ParamMap, name: string, expected?: readonly number[]): Tensor2 {
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
    if (data.length !== n)
      throw new ExportError(`parameter "${name}" has ${data.length} values, expected shape [${expected}]`);
    if (shape && shape.join(',') !== expected.join(','))
      throw new ExportError(`parameter "${name}" has shape [${shape}], expected [${expected}]`);
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
export interface Affine {
  scale: Float32Array;
  shift: Float32Array;
}

export class Emitter {
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

  dense(
    name: string,
    x: number,
    kernelInOut: Float32Array,
    bias: Float32Array | null,
    inDim: number,
    outDim: number,
    act: Activation,
  ): number {
    const w = this.fcWeights(`${name}/w`, kernelInOut, inDim, outDim);
    const b = bias ? this.floatConst(`${name}/b`, [outDim], bias) : -1;
    return this.g.fullyConnected(name, x, w, b, act);
  }
}

export function emitBiLstm(
  em: Emitter,
  params: ParamMap,
  name: string,
  seq: number,
  N: number,
  D: number,
  H: number,
  returnSequences: boolean,
): number {
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
    for (let k = 0; k < 4; k++)
      out.set(a.subarray(r * 4 * H + src[k] * H, r * 4 * H + (src[k] + 1) * H), r * 4 * H + k * H);
  return out;
}

export function emitAttention(
  em: Emitter,
  params: ParamMap,
  name: string,
  seq: number,
  N: number,
  D: number,
  heads: number,
  keyDim: number,
  optimize: boolean,
  residual = true,
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
    heads === 1
      ? t
      : g.transpose(`${name}/${tag}_heads`, g.reshape(`${name}/${tag}_split`, t, [N, heads, keyDim]), [1, 0, 2]);
  const qh = perHead(q, 'q');
  const kh = perHead(k, 'k');
  const vh = perHead(v, 'v');
  let scores = g.batchMatMul(`${name}/scores`, qh, kh, false, true); // [h, N, N]
  if (!optimize) scores = g.mul(`${name}/scaled`, scores, g.constF32(`${name}/scale`, [1], [scale]));
  const probs = g.softmax(`${name}/probs`, scores, 1);
  let ctx = g.batchMatMul(`${name}/ctx`, probs, vh); // [h, N, kd]
  if (heads > 1) ctx = g.reshape(`${name}/ctx_merge`, g.transpose(`${name}/ctx_t`, ctx, [1, 0, 2]), [N, HK]);
  const o = em.dense(`${name}/o`, ctx, P('wo', [HK, D]), P('bo', [D]), HK, D, 'none');
  return residual ? g.add(`${name}/residual`, seq, o) : o;
}

/**
 * The fused FULLY_CONNECTED activation for a dense activation, or 'none' when emitActivation does it.
 * Not tanh: a fused TANH in FULLY_CONNECTED is not applied by every runtime (LiteRT.js ignored it in our test).
 */
export function denseAct(a: DenseActivation): Activation {
  return a === 'relu' || a === 'relu6' ? a : 'none';
}

/** The part of a dense activation that FULLY_CONNECTED cannot fuse, as builtin ops on [rows, D]. */
export function emitActivation(g: GraphBuilder, name: string, x: number, a: DenseActivation): number {
  switch (a) {
    case 'sigmoid':
      return g.logistic(`${name}/sigmoid`, x);
    case 'tanh':
      return g.tanh(`${name}/tanh`, x);
    case 'silu':
      return g.mul(`${name}/silu`, x, g.logistic(`${name}/silu_gate`, x));
    case 'elu':
      return g.elu(`${name}/elu`, x);
    case 'exponential':
      return g.exp(`${name}/exp`, x);
    case 'softmax':
      return g.softmax(`${name}/softmax`, x, 1);
    default:
      return x;
  }
}

/** Keras LayerNormalization over the last axis of [rows, D]: (x − mean)·rsqrt(var + ε)·gamma + beta. */
export function emitLayerNorm(
  em: Emitter,
  params: ParamMap,
  name: string,
  x: number,
  D: number,
  epsilon: number,
): number {
  const g = em.g;
  const gamma = getParam(params, `${name}/gamma`, [D]).data;
  const beta = getParam(params, `${name}/beta`, [D]).data;
  const d = g.sub(`${name}/centred`, x, g.mean(`${name}/mean`, x, [1], true));
  const variance = g.mean(`${name}/var`, g.mul(`${name}/sq`, d, d), [1], true);
  const r = g.rsqrt(`${name}/rstd`, g.add(`${name}/var_eps`, variance, g.constF32(`${name}/eps`, [1], [epsilon])));
  const y = g.mul(`${name}/scaled`, g.mul(`${name}/normed`, d, r), em.floatConst(`${name}/gamma`, [D], gamma));
  return g.add(name, y, em.floatConst(`${name}/beta`, [D], beta));
}
