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
 * The IR and options are in export-types.ts, batch-norm folding in fold.ts, the metadata in export-metadata.ts,
 * the per-layer emitters in emitter.ts. Pure TypeScript.
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
import type { ModelSpec } from '../model/architecture';
import { FEATURES_PER_FRAME } from '../keypoints/format';
import {
  toExportArchitecture,
  type ExportArchitecture,
  type ExportOptions,
  type ExportResult,
  type ParamMap,
} from './export-types';
import { absorbAffine, batchNormAffine, foldBatchNormAfter } from './fold';
import { FORM_STUDIO_METADATA, scorerMetadata } from './export-metadata';

export {
  toExportArchitecture,
  type ExportArchitecture,
  type ExportLayer,
  type ExportOptions,
  type ExportResult,
  type ParamMap,
  type ParamValue,
  type WeightMode,
} from './export-types';
export { DEFAULT_NORMALIZATION, FORM_STUDIO_METADATA } from './export-metadata';

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
  const F0 = arch.featuresPerFrame ?? FEATURES_PER_FRAME;
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

  for (let li = 0; li < layers.length; li++) {
    const layer = layers[li];
    switch (layer.kind) {
      case 'batchNorm': {
        pending = batchNormAffine(params, layer.name, dim, layer.epsilon, pending);
        if (!optimize) flushAffine(layer.name);
        break;
      }
      case 'dense': {
        let kernel = getParam(params, `${layer.name}/kernel`, [dim, layer.units]).data;
        let bias = getParam(params, `${layer.name}/bias`, [layer.units]).data;
        [kernel, bias] = absorbAffine(pending, kernel, bias, dim, layer.units);
        pending = null;
        // Fold a following batch norm into this dense when there is no nonlinearity in between.
        let next = layers[li + 1];
        while (optimize && layer.activation === 'linear' && next && next.kind === 'batchNorm') {
          [kernel, bias] = foldBatchNormAfter(params, next.name, next.epsilon, kernel, bias, dim, layer.units);
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
  const [sk2, sb2] = absorbAffine(pending, sk, sb, dim, 1);
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
    const [ek2, eb2] = absorbAffine(pending, ek, eb, dim, numExercises);
    const elogits = em.dense('exercise_logits', x, ek2, eb2, dim, numExercises, 'none');
    const probs = g.softmax('exercise_probs', elogits, 1);
    outputs.push({ name: 'exercise_probs', tensor: probs });
  }
  pending = null;

  const metadata = scorerMetadata(arch, options, {
    numFrames: N,
    featuresPerFrame: F0,
    numExercises,
    scoreLinear,
    scoreScale,
    mode,
    optimize,
  });
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
