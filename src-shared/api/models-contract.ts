/** API calls of the models feature: list, delete, score with a model, export to TFLite (+ check), import .tflite. */
import { z } from 'zod';
import { call } from './call';
import { FEATURES_PER_FRAME } from '../keypoints/format';
import type { RepReport } from '../reps/report';
import type { ClipScore } from '../scoring/clip-score';

export type ModelFormat = 'fsmodel' | 'tflite';

export interface ModelInfo {
  id: number;
  name: string;
  /** 'standard' | 'high-accuracy' for trained models; 'tflite' for imported files. */
  kind: string;
  format: ModelFormat;
  role: string;
  runId: number | null;
  createdAt: string;
  sizeBytes: number | null;
  valMae: number | null;
  numFrames: number | null;
  hasExerciseHead: boolean;
  metrics: Record<string, unknown>;
}

export interface ExportCheck {
  samples: number;
  /** Score difference tfjs vs TFLite, in points (0–100 scale). */
  maxAbsScoreDiff: number;
  meanAbsScoreDiff: number;
  /** Share of samples where both pick the same exercise (null without an exercise head). */
  exerciseAgreement: number | null;
  builtinOnly: boolean;
  ops: string[];
  runtime: string;
  /** Where the samples came from: the project's keypoints or, when it has none, synthetic inputs. */
  source: 'project' | 'synthetic';
}

export interface ExportReport {
  path: string;
  /** URL path to download it from the app. */
  url: string;
  sizeBytes: number;
  weights: 'float32' | 'float16' | 'int8';
  optimize: boolean;
  ops: Record<string, number>;
  check: ExportCheck | null;
}

const ModelId = z.number().int().positive();
const FrameValues = z.array(z.number().finite()).length(FEATURES_PER_FRAME).nullable();

export const modelsContract = {
  'models.list': call<ModelInfo[]>()(z.object({}).strict()),
  'models.delete': call<{ ok: true }>()(z.object({ modelId: ModelId }).strict()),
  'models.rename': call<ModelInfo>()(
    z.object({ modelId: ModelId, name: z.string().trim().min(1, 'A name is required').max(200) }).strict(),
  ),
  /** Score a window of frames: the pipeline's result (src-shared/scoring), with the model that scored it. */
  'models.predict': call<ClipScore & { modelId: number }>()(
    z
      .object({
        modelId: ModelId.optional(),
        frames: z.array(FrameValues).min(2).max(256),
        aspectRatio: z.number().finite().positive().max(10).optional(),
      })
      .strict(),
  ),
  /** A clip's model score and its reps (each scored by the model on its own window), from cached keypoints. */
  'models.repReport': call<{ clip: ClipScore; report: RepReport }>()(
    z
      .object({
        modelId: ModelId.optional(),
        videoId: z.number().int().positive(),
        numFrames: z.number().int().min(2).max(10_000),
        exercise: z.string().max(40).optional(),
      })
      .strict(),
  ),
  'models.export': call<ExportReport>()(
    z
      .object({
        modelId: ModelId,
        weights: z.enum(['float32', 'float16', 'int8']).default('float32'),
        optimize: z.boolean().default(true),
        test: z.boolean().default(true),
        outputPath: z.string().min(1).max(4096).optional(),
      })
      .strict(),
  ),
  'models.importTflite': call<ModelInfo>()(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        path: z.string().min(1).max(4096).optional(),
        bytesBase64: z.string().max(200_000_000).optional(),
        /** The user's answer when the outputs' shapes do not tell the score and the exercise head apart. */
        scoreOutput: z.string().min(1).max(500).optional(),
        probsOutput: z.string().min(1).max(500).optional(),
        /** Multiply the score output (default 100 when it comes straight from a sigmoid, else 1). */
        scoreScale: z.number().finite().positive().max(1e6).optional(),
        classNames: z.array(z.string().trim().min(1).max(100)).max(1000).optional(),
      })
      .strict()
      .refine((v) => !!v.path !== !!v.bytesBase64, 'Give either a path or the file bytes'),
  ),
  /** A Keras .keras / .h5 converted to a Form Studio model (it then scores and exports like a trained one). */
  'models.importKeras': call<ModelInfo>()(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        path: z.string().min(1).max(4096).optional(),
        bytesBase64: z.string().max(400_000_000).optional(),
        /** Multiply the score head's output (default 100 for a sigmoid head, 1 for a linear one). */
        scoreScale: z.number().finite().positive().max(1e6).optional(),
        /** Names of the exercise head's classes, in order, when it does not have the toolkit's 14. */
        classNames: z.array(z.string().trim().min(1).max(100)).max(1000).optional(),
        /** Accept a [T, 33, 4] input whose first layer reshapes it to [T, 132]. */
        reshapeInput: z.boolean().optional(),
      })
      .strict()
      .refine((v) => !!v.path !== !!v.bytesBase64, 'Give either a path or the file bytes'),
  ),
} as const;
