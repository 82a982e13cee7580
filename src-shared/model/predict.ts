/** One-call scoring of extracted keypoints with a loaded model. */
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';
import type { VideoKeypoints } from '../keypoints/format';
import { normalizeVideoKeypoints, type NormalizeOptions } from '../keypoints/normalize';
import type { ScoringModel } from './model';
import { argmax } from './metrics';

export interface ClipScore {
  /** Quality score 0–100. */
  score: number;
  /** Most likely exercise (models with an exercise head only). */
  exercise?: { type: ExerciseType; confidence: number; probs: Float32Array };
}

/** Normalize (resampling to the model's frame count) and score one clip. */
export function scoreKeypoints(
  model: ScoringModel,
  kp: VideoKeypoints,
  options: Omit<NormalizeOptions, 'numFrames'> = {},
): ClipScore {
  const x = normalizeVideoKeypoints(kp, { ...options, numFrames: model.spec.numFrames });
  const p = model.predict(x, 1);
  const out: ClipScore = { score: p.scores[0] };
  const probs = p.exerciseProbs?.[0];
  if (probs) {
    const best = argmax(probs);
    out.exercise = { type: EXERCISE_TYPES[best], confidence: probs[best], probs };
  }
  return out;
}
