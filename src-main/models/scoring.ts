/**
 * A project model as the scoring pipeline (src-shared/scoring/pipeline.ts) runs it: tfjs in-process for
 * .fsmodel, LiteRT for .tflite (its score output scaled to 0–100). Everything else about scoring is shared.
 */
import type { LoadedModel } from './model-registry';
import type { ClipModel } from '../../src-shared/scoring/pipeline';
import { ApiError } from '../../src-shared/api/errors';

export function clipModelOf(m: LoadedModel): ClipModel {
  if (m.format === 'fsmodel') {
    return {
      numFrames: m.model.spec.numFrames,
      hasExerciseHead: !!m.model.spec.heads.exercise,
      classes: { labels: m.exerciseLabels, trained: m.model.trainedExercises },
      // The LSTM inference fast path (model/lstm-infer.ts) was fastest at batch 64 (16: +25 % CPU, 256: +10–40 %).
      batchSize: 64,
      async run(xs) {
        const p = m.model.predict(xs, xs.length);
        // Let other calls (the UI's) through between batches.
        await new Promise<void>((r) => setImmediate(r));
        return p;
      },
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
