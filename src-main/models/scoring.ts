/** Score keypoints with a project model: the same input preparation as training, tfjs or TFLite underneath. */
import type { LoadedModel } from './model-registry';
import type { ModelScore } from '../../src-shared/api/models-contract';
import { interpretOutputs, modelInput } from '../../src-shared/scoring/model-input';
import { ApiError } from '../../src-shared/api/errors';

export async function scoreWithModel(
  m: LoadedModel,
  frames: Array<number[] | null>,
  aspectRatio = 1,
): Promise<ModelScore> {
  if (frames.every((f) => f === null)) {
    throw new ApiError(
      'bad_input',
      'No pose detected: make sure the person is clearly visible, well lit, fully in frame and facing the camera or side-on.',
    );
  }
  const t0 = performance.now();
  if (m.format === 'fsmodel') {
    const x = modelInput({ frames }, m.model.spec.numFrames, aspectRatio);
    const p = m.model.predict(x);
    const r = interpretOutputs(p.scores[0], p.exerciseProbs?.[0] ?? null, {
      labels: m.exerciseLabels,
      trained: m.model.trainedExercises,
    });
    return { ...r, latencyMs: performance.now() - t0, modelId: m.info.id };
  }
  const x = modelInput({ frames }, m.numFrames, aspectRatio);
  const out = await m.model.run(x);
  const score = out.outputs[m.scoreOutput]?.[0];
  if (score === undefined) throw new ApiError('bad_input', `Model "${m.info.name}" has no output "${m.scoreOutput}"`);
  const labels = m.info.metrics.exerciseLabels;
  const r = interpretOutputs(score * m.scoreScale, m.probsOutput ? out.outputs[m.probsOutput] : null, {
    labels: Array.isArray(labels) ? (labels as string[]) : undefined,
  });
  return { ...r, latencyMs: performance.now() - t0, modelId: m.info.id };
}
