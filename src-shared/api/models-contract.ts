/** API calls of the models feature: list, delete, score with a model, export to TFLite (+ check), import .tflite. */
import { z } from 'zod';
import { call } from './call';
import { FEATURES_PER_FRAME } from '../keypoints/format';
import type { ExerciseType } from '../domain/exercises';

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

export interface ModelScore {
  score: number;
  exercise: ExerciseType | null;
  confidence: number | null;
  latencyMs: number;
  modelId: number;
}

const ModelId = z.number().int().positive();
const FrameValues = z.array(z.number().finite()).length(FEATURES_PER_FRAME).nullable();

export const modelsContract = {
  'models.list': call<ModelInfo[]>()(z.object({}).strict()),
  'models.delete': call<{ ok: true }>()(z.object({ modelId: ModelId }).strict()),
  'models.rename': call<ModelInfo>()(z.object({ modelId: ModelId, name: z.string().trim().min(1, 'A name is required').max(200) }).strict()),
  'models.predict': call<ModelScore>()(
    z
      .object({
        modelId: ModelId.optional(),
        frames: z.array(FrameValues).min(2).max(256),
        aspectRatio: z.number().finite().positive().max(10).optional(),
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
      })
      .strict()
      .refine((v) => !!v.path !== !!v.bytesBase64, 'Give either a path or the file bytes'),
  ),
} as const;
