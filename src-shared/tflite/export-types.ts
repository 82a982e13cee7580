/** The exporter's input (a model IR, its parameters, options) and its result; `toExportArchitecture` maps a ModelSpec to it. */
import type { ModelSpec, DenseActivation } from '../model/architecture';

/** The IR accepted by the exporter (structural; matches src-shared/model/architecture.ts). */
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
