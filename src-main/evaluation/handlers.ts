/** Main-process handlers of the evaluation calls (see src-shared/evaluation/contract.ts). */
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { evaluationContract } from '../../src-shared/evaluation/contract';
import { evaluateLoadedModel } from './evaluate-model';
import { dataCheck, makeTestSplit } from './data-check';

export function createEvaluationFeature(ctx: AppContext): Feature<CallsOf<typeof evaluationContract>> {
  return {
    handlers: {
      'evaluation.run': async ({ modelId, split, resamples, seed }) => {
        const model = await ctx.models.load(modelId ?? ctx.models.latestId());
        return evaluateLoadedModel(ctx, model, split, { resamples, seed });
      },
      'evaluation.dataCheck': (input) => dataCheck(ctx, input),
      'evaluation.makeTestSplit': (input) => makeTestSplit(ctx, input),
    },
  };
}
