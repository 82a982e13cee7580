/**
 * The one way keypoints become model input, used by training, scoring (app, live, CLI) and export checks,
 * so a model always sees data prepared exactly as in training.
 */
import { normalizeFrames } from '../keypoints/normalize';
import { unflattenFrame, type StoredKeypoints } from '../keypoints/stored';
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';

/** StoredKeypoints (cache / API form) → Float32Array [numFrames × 132]. `aspectRatio` = video width / height. */
export function modelInput(kp: Pick<StoredKeypoints, 'frames'>, numFrames: number, aspectRatio = 1): Float32Array {
  return normalizeFrames(kp.frames.map(unflattenFrame), { numFrames, aspectRatio: aspectRatio > 0 && Number.isFinite(aspectRatio) ? aspectRatio : 1 });
}

export interface ScoreOutcome {
  /** 0–100 */
  score: number;
  exercise: ExerciseType | null;
  /** Probability of the detected exercise, 0–1. */
  confidence: number | null;
  /** The detected class's name when the model's classes are its own (an imported model), not the app's 14. */
  exerciseLabel?: string;
}

/** Model outputs → what the user sees. `labels`: the exercise head's class names when not EXERCISE_TYPES. */
export function interpretOutputs(score: number, exerciseProbs?: ArrayLike<number> | null, labels?: readonly string[]): ScoreOutcome {
  const s = Math.min(100, Math.max(0, score));
  if (!exerciseProbs || exerciseProbs.length === 0) return { score: s, exercise: null, confidence: null };
  let best = 0;
  for (let i = 1; i < exerciseProbs.length; i++) if (exerciseProbs[i] > exerciseProbs[best]) best = i;
  if (labels && labels.length === exerciseProbs.length) {
    const name = labels[best];
    const known = (EXERCISE_TYPES as readonly string[]).includes(name) ? (name as ExerciseType) : null;
    return { score: s, exercise: known, confidence: exerciseProbs[best], ...(known ? {} : { exerciseLabel: name }) };
  }
  return { score: s, exercise: EXERCISE_TYPES[best] ?? null, confidence: exerciseProbs[best] };
}

/** The toolkit's result block, printed by `form-studio score`. */
export function formatScoreBlock(r: ScoreOutcome, displayName: (t: ExerciseType) => string): string {
  const line = '='.repeat(50);
  const rows = [line, `Predicted Quality Score: ${r.score.toFixed(2)} / 100`];
  if (r.exercise) rows.push(`Detected Exercise: ${displayName(r.exercise)}`);
  else if (r.exerciseLabel) rows.push(`Detected Exercise: ${r.exerciseLabel}`);
  if (r.confidence !== null) rows.push(`Confidence: ${(r.confidence * 100).toFixed(1)}%`);
  rows.push(line);
  return rows.join('\n');
}
