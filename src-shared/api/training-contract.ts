/** API calls of the training feature (runs, per-epoch metrics, checkpoints, predictions). */
import { z } from 'zod';
import { call } from './call';

export const trainingContract = {
  'training.ping': call<{ ok: true }>()(z.object({}).strict()),
} as const;
