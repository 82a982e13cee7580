/** API calls of the evaluation feature (served in main; the CLI, the Training and the Models views call them). */
import { z } from 'zod';
import { call } from '../api/call';
import type { EvaluationReport } from './types';

export const EvaluateInputSchema = z
  .object({
    /** A project model; default: the newest best model. */
    modelId: z.number().int().positive().optional(),
    split: z.enum(['train', 'val', 'test']).default('test'),
    resamples: z.number().int().min(100).max(10_000).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict();

export const evaluationContract = {
  /** Evaluate a model on every labeled video with keypoints of a split, with baselines and bootstrap intervals. */
  'evaluation.run': call<EvaluationReport>()(EvaluateInputSchema),
} as const;
