/**
 * The "form_studio" metadata the exporter writes into the .tflite: the input contract a phone app needs (shape,
 * normalization, the step-by-step "preprocessing" block), the outputs, the exercise labels and how it was built.
 */
import { EXERCISE_TYPES } from '../domain/exercises';
import { preprocessingBlock } from '../scoring/preprocessing';
import { ExportError } from './emitter';
import type { ExportArchitecture, ExportOptions, WeightMode } from './export-types';

export const FORM_STUDIO_METADATA = 'form_studio';

export const DEFAULT_NORMALIZATION =
  'MediaPipe BlazePose landmarks, 33 × (x, y, z, visibility) per frame, landmark-major; each frame hip-centred, x scaled by width/height, x/y/z divided by the clip\'s median torso length; missing frame = all zeros. Exact steps: the "preprocessing" block';

/** What the exported graph turned out to be (frames, features, heads), as the metadata describes it. */
export interface ExportedShape {
  numFrames: number;
  featuresPerFrame: number;
  numExercises: number;
  scoreLinear: boolean;
  scoreScale: number;
  mode: WeightMode;
  optimize: boolean;
}

/** The metadata JSON; throws ExportError when the labels do not fit the exercise head. */
export function scorerMetadata(
  arch: ExportArchitecture,
  options: ExportOptions,
  shape: ExportedShape,
): Record<string, unknown> {
  const { numFrames: N, featuresPerFrame: F0, numExercises, scoreLinear, scoreScale, mode } = shape;
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
  return {
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
    batchNormFolded: shape.optimize,
    layers: arch.layers.map((l) => l.kind),
    ...(options.version ? { version: options.version } : {}),
    ...(options.extraMetadata ?? {}),
  };
}
