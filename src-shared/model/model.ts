/**
 * A scoring model held as tf.Variables: build, predict, save, load, dispose.
 * The backend is the caller's choice (tf.setBackend before using this).
 */
import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type ModelSpec } from './architecture';
import { forward, initParams, type ForwardOptions } from './forward';
import type { LstmImpl } from './lstm';
import { packModel, unpackModel, type ParamMap, type SavedModel, type ShapeMap } from './serialize';
import { trainedClassesOf } from '../scoring/clip-score';

export interface Prediction {
  /** Scores 0–100, one per clip. */
  scores: Float32Array;
  /** Per clip, 14 probabilities (EXERCISE_TYPES order); only for models with an exercise head. */
  exerciseProbs?: Float32Array[];
}

export class ScoringModel {
  readonly spec: ModelSpec;
  readonly vars: Record<string, tf.Variable>;
  lstmImpl: LstmImpl | undefined;
  /** The file's metadata (e.g. `trainedExercises`); undefined for a freshly created model. */
  metadata: Record<string, unknown> | undefined;
  private disposed = false;

  private constructor(spec: ModelSpec, params: ParamMap, shapes: ShapeMap) {
    this.spec = spec;
    this.vars = {};
    for (const p of paramSpecs(spec)) {
      const v = params[p.name];
      if (!v) throw new Error(`model file lacks parameter ${p.name}`);
      const shape = shapes[p.name] ?? p.shape;
      if (shape.join('x') !== p.shape.join('x'))
        throw new Error(`parameter ${p.name}: shape ${shape} ≠ expected ${p.shape}`);
      const t = tf.tensor(v, p.shape, 'float32');
      this.vars[p.name] = tf.variable(t, p.trainable, `${p.name}_${nextId++}`);
      t.dispose();
    }
  }

  /** New model with fresh weights (deterministic per seed; builds in milliseconds). */
  static create(spec: ModelSpec, seed = 1): ScoringModel {
    const { params, shapes } = initParams(spec, seed);
    return new ScoringModel(spec, params, shapes);
  }

  static fromSaved(saved: SavedModel): ScoringModel {
    const m = new ScoringModel(saved.spec, saved.params, saved.shapes);
    m.metadata = saved.metadata;
    return m;
  }

  /** Exercise classes the model was trained on (file metadata), or null when unknown (older files). */
  get trainedExercises(): string[] | null {
    return trainedClassesOf(this.metadata);
  }

  /** Load from the single-file form (see serialize.ts). */
  static load(bytes: Uint8Array): ScoringModel {
    return ScoringModel.fromSaved(unpackModel(bytes));
  }

  /** Weights copied to JS memory. */
  toSaved(metadata?: Record<string, unknown>): SavedModel {
    const params: ParamMap = {};
    const shapes: ShapeMap = {};
    for (const [name, v] of Object.entries(this.vars)) {
      params[name] = new Float32Array(v.dataSync() as Float32Array);
      shapes[name] = v.shape.slice();
    }
    return { spec: this.spec, params, shapes, metadata };
  }

  /** Single-file form (Uint8Array) to write wherever the caller wants. */
  save(metadata?: Record<string, unknown>): Uint8Array {
    return packModel(this.toSaved(metadata));
  }

  /** Overwrite the weights (e.g. restore the best epoch). */
  setParams(params: ParamMap): void {
    for (const [name, v] of Object.entries(this.vars)) {
      const src = params[name];
      if (!src) throw new Error(`missing parameter ${name}`);
      const t = tf.tensor(src, v.shape, 'float32');
      v.assign(t);
      t.dispose();
    }
  }

  /** Forward pass on a [B, T, F] tensor; outputs are new tensors the caller disposes. */
  apply(x: tf.Tensor, opts: ForwardOptions = {}): { score: tf.Tensor1D; exerciseProbs?: tf.Tensor2D } {
    return tf.tidy(() => {
      const r = forward(this.spec, this.vars, x, {
        lstmImpl: this.lstmImpl,
        ...opts,
        training: opts.training ?? false,
      });
      return r.exerciseProbs ? { score: r.score, exerciseProbs: r.exerciseProbs } : { score: r.score };
    });
  }

  /**
   * Score clips. `x`: one Float32Array of numFrames×numFeatures values per clip (normalizeVideoKeypoints output),
   * or all clips concatenated.
   */
  predict(x: Float32Array | Float32Array[], batchSize = 16): Prediction {
    const per = this.spec.numFrames * this.spec.numFeatures;
    const flat = Array.isArray(x) ? concat(x, per) : x;
    if (flat.length % per !== 0) throw new Error(`input length ${flat.length} is not a multiple of ${per}`);
    const n = flat.length / per;
    const scores = new Float32Array(n);
    const probs: Float32Array[] = [];
    const k = this.spec.heads.exercise?.numClasses ?? 0;
    for (let s = 0; s < n; s += batchSize) {
      const b = Math.min(batchSize, n - s);
      const xt = tf.tensor3d(flat.subarray(s * per, (s + b) * per), [b, this.spec.numFrames, this.spec.numFeatures]);
      const r = this.apply(xt, { inference: true });
      scores.set(r.score.dataSync() as Float32Array, s);
      if (r.exerciseProbs) {
        const p = r.exerciseProbs.dataSync() as Float32Array;
        for (let i = 0; i < b; i++) probs.push(p.slice(i * k, (i + 1) * k));
        r.exerciseProbs.dispose();
      }
      r.score.dispose();
      xt.dispose();
    }
    return k ? { scores, exerciseProbs: probs } : { scores };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

/** Predict with weights held in JS memory: build, predict, dispose (training's final predictions, CLI and worker). */
export function predictWithSaved(saved: SavedModel, x: Float32Array | Float32Array[]): Prediction {
  const m = ScoringModel.fromSaved(saved);
  try {
    return m.predict(x);
  } finally {
    m.dispose();
  }
}

let nextId = 0;

function concat(xs: Float32Array[], per: number): Float32Array {
  const out = new Float32Array(xs.length * per);
  xs.forEach((a, i) => {
    if (a.length !== per) throw new Error(`clip ${i} has ${a.length} values, expected ${per}`);
    out.set(a, i * per);
  });
  return out;
}
