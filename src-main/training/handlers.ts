/** Main-process handlers of the training calls (see src-shared/api/training-contract.ts). */
import type { Services, HandlersOf } from '../services';
import type { trainingContract } from '../../src-shared/api/training-contract';

export function trainingHandlers(_services: Services): HandlersOf<typeof trainingContract> {
  return {
    'training.ping': () => ({ ok: true as const }),
  };
}
