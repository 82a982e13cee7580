/**
 * Training checkpoints: the model file container (serialize.ts) of type 'checkpoint' holding the current weights,
 * the Adam slots (`opt/m/<param>`, `opt/v/<param>`), the best weights so far (`best/<param>`) and, as `extra`,
 * the loop state (epoch, rng, lr, callback counters, history, split). Resuming from one continues the run
 * exactly where an uninterrupted run would be.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../architecture';
import type { Adam } from '../optim/adam';
import { deserializeTensors, packFile, serializeTensors, unpackFile, type ParamMap, type ShapeMap } from '../serialize';
import type { DataSplit, EpochMetrics } from './types';

/** The loop state stored in a checkpoint's `extra` (field names are part of the file format). */
export interface CheckpointState {
  epoch: number; // completed epochs
  rngState: number;
  lr: number;
  adamStep: number;
  /** Best monitored MAE; JSON turns Infinity into null. */
  bestMae: number;
  bestEpoch: number;
  /** Early-stopping counter. */
  wait: number;
  /** Reduce-on-plateau counter. */
  lrWait: number;
  history: EpochMetrics[];
  split: DataSplit;
  numSamples: number;
}

export interface CheckpointContents {
  /** Weights (the last finite epoch's). */
  params: ParamMap;
  /** Best weights so far, if any epoch improved. */
  best: ParamMap | null;
  optimizer: Adam;
  trainableNames: string[];
  state: CheckpointState;
}

export function writeCheckpoint(spec: ModelSpec, shapes: ShapeMap, c: CheckpointContents): Uint8Array {
  const params: ParamMap = { ...c.params };
  const sh: ShapeMap = { ...shapes };
  const adam = c.optimizer;
  for (const name of c.trainableNames) {
    if (adam.m[name]) {
      params[`opt/m/${name}`] = adam.m[name].dataSync() as Float32Array;
      params[`opt/v/${name}`] = adam.v[name].dataSync() as Float32Array;
      sh[`opt/m/${name}`] = sh[`opt/v/${name}`] = shapes[name];
    }
  }
  if (c.best)
    for (const [k, v] of Object.entries(c.best)) {
      params[`best/${k}`] = v;
      sh[`best/${k}`] = shapes[k];
    }
  const { manifest, weights } = serializeTensors(spec, params, sh, {
    type: 'checkpoint',
    extra: c.state as unknown as Record<string, unknown>,
  });
  return packFile(manifest, weights);
}

/**
 * Reads a checkpoint made for `spec` and `numSamples` samples; the Adam slots go into `optimizer` (with its step
 * and lr). Throws a clear error for another file type, another spec or another sample count.
 */
export function readCheckpoint(
  bytes: Uint8Array,
  spec: ModelSpec,
  numSamples: number,
  paramNames: string[],
  trainableNames: string[],
  optimizer: Adam,
): { params: ParamMap; best: ParamMap | null; state: CheckpointState } {
  const { manifest, weights } = unpackFile(bytes);
  if (manifest.type !== 'checkpoint') throw new Error('resumeFrom is not a checkpoint');
  if (JSON.stringify(manifest.spec) !== JSON.stringify(spec))
    throw new Error('checkpoint was made for a different model spec');
  const state = manifest.extra as unknown as CheckpointState;
  if (state.numSamples !== numSamples)
    throw new Error(`checkpoint was made with ${state.numSamples} samples, got ${numSamples}`);
  const { params: stored, shapes } = deserializeTensors(manifest, weights);
  const params: ParamMap = {};
  const best: ParamMap = {};
  for (const name of paramNames) {
    params[name] = stored[name];
    if (stored[`best/${name}`]) best[name] = stored[`best/${name}`];
  }
  for (const name of trainableNames) {
    const m = stored[`opt/m/${name}`];
    const v = stored[`opt/v/${name}`];
    if (m && v) {
      const mt = tf.tensor(m, shapes[name]);
      const vt = tf.tensor(v, shapes[name]);
      optimizer.m[name] = tf.variable(mt, false);
      optimizer.v[name] = tf.variable(vt, false);
      mt.dispose();
      vt.dispose();
    }
  }
  optimizer.step = state.adamStep;
  optimizer.lr = state.lr;
  return {
    params,
    best: Object.keys(best).length ? best : null,
    state: { ...state, bestMae: state.bestMae ?? Infinity },
  };
}
