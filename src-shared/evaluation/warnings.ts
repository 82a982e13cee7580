/**
 * Small-data honesty: warnings with numbers and what to do, before training (the data) and after (the run).
 * Thresholds: validation < 10 clips, an exercise < 5 labeled clips, scores sd < 5, best epoch = the first,
 * an inverted validation ranking, and no labeled test split.
 */
import { EXERCISE_DISPLAY_NAMES, type ExerciseType } from '../domain/exercises';
import { mean, sd } from './stats';

export type WarningCode =
  'small-val' | 'few-per-exercise' | 'narrow-scores' | 'best-epoch-first' | 'inverted-ranking' | 'no-test-split';

export interface DataWarning {
  code: WarningCode;
  /** What is wrong, with the numbers. */
  message: string;
  /** What to do about it. */
  advice: string;
}

export const MIN_VAL_CLIPS = 10;
export const MIN_PER_EXERCISE = 5;
export const MIN_SCORE_SD = 5;

export interface DataCheckInput {
  /** Labeled training clips with keypoints. */
  items: Array<{ score: number; exercise: ExerciseType }>;
  /** Clips the group-aware split puts in validation. */
  valCount: number;
  /** Labeled test-split videos. */
  testLabeled: number;
}

/** Before training: what the data can and cannot show. */
export function dataWarnings(d: DataCheckInput): DataWarning[] {
  const out: DataWarning[] = [];
  if (d.items.length === 0) return out;
  if (d.valCount < MIN_VAL_CLIPS) {
    out.push({
      code: 'small-val',
      message: `The validation set has ${d.valCount} clip${d.valCount === 1 ? '' : 's'} (fewer than ${MIN_VAL_CLIPS}): its MAE jumps with every clip, so the "best epoch" is mostly chance.`,
      advice: `Label more clips (about ${Math.ceil(MIN_VAL_CLIPS / 0.2)} in all for a validation set of ${MIN_VAL_CLIPS}), or use k-fold cross-validation.`,
    });
  }
  const counts = new Map<ExerciseType, number>();
  for (const it of d.items) counts.set(it.exercise, (counts.get(it.exercise) ?? 0) + 1);
  const few = [...counts].filter(([, n]) => n < MIN_PER_EXERCISE);
  if (few.length) {
    out.push({
      code: 'few-per-exercise',
      message: `${few.map(([e, n]) => `${EXERCISE_DISPLAY_NAMES[e]}: ${n} labeled clip${n === 1 ? '' : 's'}`).join('; ')} (fewer than ${MIN_PER_EXERCISE} each): the model cannot learn ${few.length === 1 ? 'this exercise' : 'these exercises'} from so few.`,
      advice: `Label at least ${MIN_PER_EXERCISE} clips per exercise (20 or more is better), or leave ${few.length === 1 ? 'it' : 'them'} out for now.`,
    });
  }
  const scores = d.items.map((i) => i.score);
  const s = sd(scores);
  if (Number.isFinite(s) && s < MIN_SCORE_SD) {
    out.push({
      code: 'narrow-scores',
      message: `All scores sit in a narrow band: sd ${s.toFixed(1)} around ${mean(scores).toFixed(1)} (sd below ${MIN_SCORE_SD}). Predicting the mean is already almost exact, so a model has little to learn and its MAE says little.`,
      advice:
        'Label clips across the whole range (poor, fair and good form), and compare the model with the baseline in the evaluation.',
    });
  }
  if (d.testLabeled === 0) {
    out.push({
      code: 'no-test-split',
      message:
        'There are no labeled test videos: nothing checks the model on clips it never saw (validation chose the best epoch).',
      advice: 'Make a test split: 20 % of the labeled groups move to test, never splitting an athlete or source clip.',
    });
  }
  return out;
}

export interface RunCheckInput {
  bestEpoch: number | null;
  epochs: number;
  valCount: number | null;
  valSpearman: number | null;
}

/** After training: what the run itself says about the data. */
export function runWarnings(r: RunCheckInput): DataWarning[] {
  const out: DataWarning[] = [];
  if (r.valCount !== null && r.valCount > 0 && r.valCount < MIN_VAL_CLIPS) {
    out.push({
      code: 'small-val',
      message: `This run validated on ${r.valCount} clip${r.valCount === 1 ? '' : 's'} (fewer than ${MIN_VAL_CLIPS}): its validation MAE and best epoch are not reliable.`,
      advice: 'Label more clips, use k-fold cross-validation, and check the model on a test split.',
    });
  }
  if (r.bestEpoch === 1 && r.epochs > 1) {
    out.push({
      code: 'best-epoch-first',
      message: `The best validation MAE came at epoch 1 of ${r.epochs}: training never improved on the validation clips after the first pass.`,
      advice: 'Label more clips, try the standard model (fewer weights to fit), or a lower learning rate.',
    });
  }
  if (r.valSpearman !== null && r.valSpearman < 0) {
    out.push({
      code: 'inverted-ranking',
      message: `On the validation clips the model ranks form backwards: Spearman ρ ${r.valSpearman.toFixed(2)}.`,
      advice: 'Do not use this model to compare athletes; label more clips and evaluate on a test split.',
    });
  }
  return out;
}
