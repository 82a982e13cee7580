/** Main-process handlers of the models calls (see src-shared/api/models-contract.ts). */
import type { Services, HandlersOf } from '../services';
import type { modelsContract } from '../../src-shared/api/models-contract';

export function modelsHandlers(_services: Services): HandlersOf<typeof modelsContract> {
  return {
    'models.ping': () => ({ ok: true as const }),
  };
}
