/** API calls of the evaluation feature (served in main; the CLI, the Training and the Models views call them). */
import { z } from 'zod';
import { call } from '../api/call';
import type { EvaluationReport } from './types';
import type { DataWarning } from './warnings';

export const EvaluateInputSchema = z
  .object({
    /** A project model; default: the newest best model. */
    modelId: z.number().int().positive().optional(),
    split: z.enum(['train', 'val', 'test']).default('test'),
    resamples: z.number().int().min(100).max(10_000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict();

export interface DataCheck {
  clips: number;
  valCount: number;
  testLabeled: number;
  warnings: DataWarning[];
}

export const evaluationDataContract = {
  /** Before training: the small-data warnings for these settings (the same group-aware split training will use). */
  'evaluation.dataCheck': call<DataCheck>()(
    z
      .object({
        numFrames: z.number().int().min(2).max(256).optional(),
        valFraction: z.number().finite().min(0).max(0.5),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      })
      .strict(),
  ),
  /** Move whole groups (athlete / source clip) of labeled train videos to the test split; returns how many moved. */
  'evaluation.makeTestSplit': call<{ moved: number; groups: number; test: number }>()(
    z
      .object({
        fraction: z.number().finite().min(0.05).max(0.5).default(0.2),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1),
      })
      .strict(),
  ),
} as const;

export const evaluationContract = {
  /** Evaluate a model on every labeled video with keypoints of a split, with baselines and bootstrap intervals. */
  'evaluation.run': call<EvaluationReport>()(EvaluateInputSchema),
  ...evaluationDataContract,
} as const;
