/**
 * The one scoring result (`ClipScore`) and how a model's raw outputs become it: the score clamped to 0–100, the
 * exercise head masked to the classes the model was trained on, and the toolkit's printed block.
 */
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';

/** A clip (or a rep's window) scored by a model: what the CLI, the API, Live, the Library and the evaluation show. */
export interface ClipScore {
  /** 0–100 */
  score: number;
  exercise: ExerciseType | null;
  /** Probability of the detected exercise, 0–1 (renormalised over the trained classes when masked). */
  confidence: number | null;
  /** The detected class's name when the model's classes are its own (an imported model), not the app's 14. */
  exerciseLabel?: string;
  /** Milliseconds from keypoints to result, when the clip was scored on its own (not in a batch). */
  latencyMs?: number;
}

/**
 * The exercise head's classes. `labels`: class names in output order when they are not EXERCISE_TYPES (an
 * imported model). `trained`: the classes that had training examples (stored in the model file, or in an exported
 * TFLite's "form_studio" metadata); the head is masked to them, renormalised, so a class the model never saw is
 * never shown. Without `trained` the head is unmasked.
 */
export interface ExerciseClasses {
  labels?: readonly string[];
  trained?: readonly string[] | null;
}

/** The trained classes stored in a model file's metadata (`trainedExercises`), or null (no mask). */
export function trainedClassesOf(metadata: Record<string, unknown> | undefined): string[] | null {
  const t = metadata?.trainedExercises;
  return Array.isArray(t) && t.length > 0 && t.every((x) => typeof x === 'string') ? (t as string[]) : null;
}

/** One sentence for the model's info: whether its exercise head is masked, and to what. */
export function exerciseMaskNote(numClasses: number, trained: readonly string[] | null | undefined): string | null {
  if (numClasses <= 0) return null;
  if (trained?.length)
    return `Exercise guess limited to the ${trained.length} classes the model was trained on: ${trained.join(', ')}.`;
  return `Exercise guess not limited: the file does not list the classes the model was trained on, so any of its ${numClasses} classes can be shown.`;
}

/** Model outputs → what the user sees. */
export function interpretOutputs(
  score: number,
  exerciseProbs?: ArrayLike<number> | null,
  classes: ExerciseClasses = {},
): ClipScore {
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
export function formatScoreBlock(r: ClipScore, displayName: (t: ExerciseType) => string): string {
  const line = '='.repeat(50);
  const rows = [line, `Predicted Quality Score: ${r.score.toFixed(2)} / 100`];
  if (r.exercise) rows.push(`Detected Exercise: ${displayName(r.exercise)}`);
  else if (r.exerciseLabel) rows.push(`Detected Exercise: ${r.exerciseLabel}`);
  if (r.confidence !== null) rows.push(`Confidence: ${(r.confidence * 100).toFixed(1)}%`);
  rows.push(line);
  return rows.join('\n');
}
