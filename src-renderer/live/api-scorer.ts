/** Scores through the main process (tfjs or LiteRT there), so live scoring never blocks the renderer's drawing. */
import { api } from '../api/client';
import { registerScorerFactory, type Scorer } from './scorer';
import { defaultModel } from '../../src-shared/domain/default-model';

export function installApiScorer(): void {
  registerScorerFactory(async (modelId) => {
    const models = await api.call('models.list', {});
    const chosen = modelId !== null ? models.find((m) => m.id === modelId) : defaultModel(models);
    if (!chosen) return null;
    let aspectRatio = 1;
    const scorer: Scorer = {
      name: chosen.name,
      numFrames: chosen.numFrames ?? 24,
      async score(frames) {
        const t0 = performance.now();
        const r = await api.call('models.predict', { modelId: chosen.id, frames, aspectRatio });
        // The latency the user feels: the round trip, not only the model's time in main.
        return { ...r, latencyMs: performance.now() - t0 };
      },
      setAspectRatio(a) {
        aspectRatio = a;
      },
      dispose() {},
    };
    return scorer;
  });
}
