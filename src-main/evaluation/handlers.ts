/** Main-process handler of the evaluation call (see src-shared/evaluation/contract.ts). */
import type { Services, HandlersOf } from '../services';
import type { evaluationContract } from '../../src-shared/evaluation/contract';
import { modelRegistry } from '../models/handlers';
import { evaluateLoadedModel } from './evaluate-model';
import { dataCheck, makeTestSplit } from './data-check';

export function evaluationHandlers(services: Services): HandlersOf<typeof evaluationContract> {
  return {
    'evaluation.run': async ({ modelId, split, resamples, seed }) => {
      const registry = modelRegistry(services);
      const model = await registry.load(modelId ?? registry.latestId());
      return evaluateLoadedModel(services, model, split, { resamples, seed });
    },
    'evaluation.dataCheck': (input) => dataCheck(services, input),
    'evaluation.makeTestSplit': (input) => makeTestSplit(services, input),
  };
}
