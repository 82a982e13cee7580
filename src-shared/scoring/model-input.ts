/**
 * The one way keypoints become model input, used by training, scoring (app, live, CLI) and export checks,
 * so a model always sees data prepared exactly as in training.
 */
import { normalizeFrames } from '../keypoints/normalize';
import { unflattenFrame, type StoredKeypoints } from '../keypoints/stored';
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';

/** StoredKeypoints (cache / API form) → Float32Array [numFrames × 132]. `aspectRatio` = video width / height. */
export function modelInput(kp: Pick<StoredKeypoints, 'frames'>, numFrames: number, aspectRatio = 1): Float32Array {
  return normalizeFrames(kp.frames.map(unflattenFrame), {
    numFrames,
    aspectRatio: aspectRatio > 0 && Number.isFinite(aspectRatio) ? aspectRatio : 1,
  });
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

/**
 * Model outputs → what the user sees. `classes.labels`: the exercise head's class names when they are not
 * EXERCISE_TYPES (an imported model). `classes.trained` (stored in the model file at training time) masks the
 * head to the classes that had training examples, renormalised, so a class the model never saw is never
 * shown; models without it are unmasked.
 */
export function interpretOutputs(
  score: number,
  exerciseProbs?: ArrayLike<number> | null,
  classes: { labels?: readonly string[]; trained?: readonly string[] | null } = {},
): ScoreOutcome {
  const s = Math.min(100, Math.max(0, score));
  if (!exerciseProbs || exerciseProbs.length === 0) return { score: s, exercise: null, confidence: null };
  const names: readonly string[] =
    classes.labels && classes.labels.length === exerciseProbs.length ? classes.labels : EXERCISE_TYPES;
  const allowed = classes.trained && classes.trained.length ? new Set(classes.trained) : null;
  let best = -1;
  let total = 0;
  for (let i = 0; i < exerciseProbs.length; i++) {
    if (allowed && !allowed.has(names[i] ?? '')) continue;
    total += exerciseProbs[i];
    if (best < 0 || exerciseProbs[i] > exerciseProbs[best]) best = i;
  }
  if (best < 0) return { score: s, exercise: null, confidence: null };
  const confidence = allowed && total > 0 ? exerciseProbs[best] / total : exerciseProbs[best];
  const name = names[best];
  const known =
    name !== undefined && (EXERCISE_TYPES as readonly string[]).includes(name) ? (name as ExerciseType) : null;
  return { score: s, exercise: known, confidence, ...(known || name === undefined ? {} : { exerciseLabel: name }) };
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
