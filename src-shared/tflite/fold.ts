/**
 * Batch-norm folding for the exporter: at inference a batch norm is a per-feature affine (x·scale + shift). It
 * waits as a *pending* affine until it is absorbed into the next dense layer's kernel and bias, or it is folded
 * into the linear dense before it, so the exported graph runs no MUL + ADD for it.
 */
import { getParam, type Affine } from './emitter';
import type { ParamMap } from './export-types';

/** The batch norm `name`'s affine over `dim` features, composed after `before` (BN after BN) when given. */
export function batchNormAffine(
  params: ParamMap,
  name: string,
  dim: number,
  epsilon: number,
  before: Affine | null,
): Affine {
  const p = (n: string) => getParam(params, `${name}/${n}`, [dim]).data;
  const gamma = p('gamma');
  const beta = p('beta');
  const mean = p('moving_mean');
  const variance = p('moving_variance');
  const scale = new Float32Array(dim);
  const shift = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + epsilon);
    shift[i] = beta[i] - mean[i] * scale[i];
  }
  if (before) {
    for (let i = 0; i < dim; i++) {
      shift[i] = before.shift[i] * scale[i] + shift[i];
      scale[i] = before.scale[i] * scale[i];
    }
  }
  return { scale, shift };
}

/** Fold an affine applied to a dense layer's input into its kernel [in, out] and bias. */
export function absorbAffine(
  affine: Affine | null,
  kernel: Float32Array,
  bias: Float32Array,
  inDim: number,
  outDim: number,
): [Float32Array, Float32Array] {
  if (!affine) return [kernel, bias];
  const k = new Float32Array(kernel.length);
  const b = Float32Array.from(bias);
  for (let i = 0; i < inDim; i++) {
    const s = affine.scale[i];
    const t = affine.shift[i];
    for (let o = 0; o < outDim; o++) {
      const w = kernel[i * outDim + o];
      k[i * outDim + o] = w * s;
      b[o] += t * w;
    }
  }
  return [k, b];
}

/** Fold the batch norm `name` that follows a linear dense layer into that layer's kernel [in, out] and bias. */
export function foldBatchNormAfter(
  params: ParamMap,
  name: string,
  epsilon: number,
  kernel: Float32Array,
  bias: Float32Array,
  inDim: number,
  outDim: number,
): [Float32Array, Float32Array] {
  const p = (n: string) => getParam(params, `${name}/${n}`, [outDim]).data;
  const gamma = p('gamma');
  const beta = p('beta');
  const mean = p('moving_mean');
  const variance = p('moving_variance');
  const k = Float32Array.from(kernel);
  const b = Float32Array.from(bias);
  for (let o = 0; o < outDim; o++) {
    const s = gamma[o] / Math.sqrt(variance[o] + epsilon);
    for (let i = 0; i < inDim; i++) k[i * outDim + o] *= s;
    b[o] = (b[o] - mean[o]) * s + beta[o];
  }
  return [k, b];
}
