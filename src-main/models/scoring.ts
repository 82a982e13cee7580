/**
 * A project model as the scoring pipeline (src-shared/scoring/pipeline.ts) runs it: tfjs for .fsmodel (in
 * process and on a helper worker thread, predict-helper.ts), LiteRT for .tflite (its score output scaled to
 * 0–100). Everything else about scoring is shared.
 */
import type { LoadedModel } from './model-registry';
import type { ClipModel } from '../../src-shared/scoring/pipeline';
import { ApiError } from '../../src-shared/api/errors';
import { predictParallel } from './predict-helper';

export function clipModelOf(m: LoadedModel): ClipModel {
  if (m.format === 'fsmodel') {
    return {
      numFrames: m.model.spec.numFrames,
      hasExerciseHead: !!m.model.spec.heads.exercise,
      classes: { labels: m.exerciseLabels, trained: m.model.trainedExercises },
      // All inputs at once: predictParallel batches them over this thread and a helper worker.
      run: (xs) => predictParallel(m.model, xs),
    };
  }
  return {
    numFrames: m.numFrames,
    hasExerciseHead: !!m.probsOutput,
    classes: m.classes,
    async run(xs) {
      const scores = new Float32Array(xs.length);
      const exerciseProbs: Array<Float32Array | null> = [];
      for (let i = 0; i < xs.length; i++) {
        const out = await m.model.run(xs[i]);
        const score = out.outputs[m.scoreOutput]?.[0];
        if (score === undefined)
          throw new ApiError('bad_input', `Model "${m.info.name}" has no output "${m.scoreOutput}"`);
        scores[i] = score * m.scoreScale;
        exerciseProbs.push(m.probsOutput ? (out.outputs[m.probsOutput] ?? null) : null);
      }
      return { scores, exerciseProbs };
    },
  };
}
