/** API calls of the models feature (list, load, export, import .tflite). */
import { z } from 'zod';
import { call } from './call';

export const modelsContract = {
  'models.ping': call<{ ok: true }>()(z.object({}).strict()),
} as const;
