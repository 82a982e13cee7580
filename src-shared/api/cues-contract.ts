/** API calls of the form cues: the coach's cue settings (cues off per exercise, thresholds), saved in the project. */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES } from '../domain/exercises';
import { validateCueSettings } from '../cues/evaluate'; // not the index: it also exports the tfjs trainer
import type { CueSettings } from '../cues/types';
import { LEARNED_MODEL_NAME, type LearnedCueModel } from '../cues/learned';

/**
 * A learned cue model as the project keeps it (cue-models/<exercise>.json, or <exercise>.<name>.json for a named
 * one): the model plus where it came from.
 */
export interface StoredLearnedCueModel extends LearnedCueModel {
  /** ISO time the training finished. */
  trainedAt: string;
  /** The CSV's file name (only read, never kept). */
  sourceName: string;
}

/** What a landmark CSV holds, before training: to pick the label column, map columns and name the cues. */
export interface LandmarkCsvPreview {
  rows: number;
  /** MediaPipe landmarks found (after the mapping). */
  landmarks: string[];
  labelCounts: Record<string, number>;
}

/** The CSV: a path on this machine (CLI, API) or its text (the app's file picker). */
const CsvSource = {
  path: z.string().min(1).max(4096).optional(),
  text: z.string().max(100_000_000).optional(),
  /** Shown with the model; defaults to the path's file name. */
  name: z.string().trim().min(1).max(200).optional(),
  labelColumn: z.string().trim().min(1).max(100).optional(),
  /** CSV column prefix → MediaPipe landmark name (e.g. { LShoulder: 'left_shoulder' }). */
  mapping: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
};
const oneSource = (v: { path?: string; text?: string }) => !!v.path !== (v.text !== undefined);

/** What a model checks, when an exercise has several ('hips', 'head'); absent = the exercise's unnamed model. */
const ModelName = z
  .string()
  .regex(LEARNED_MODEL_NAME, "A model name is 1–40 of a-z, 0-9, '-' and '_', starting with a letter or digit")
  .optional();

const TrainInput = z
  .object({
    ...CsvSource,
    exercise: z.enum(EXERCISE_TYPES),
    /** The model's name (`name` is the CSV's). */
    modelName: ModelName,
    /** Every label of the CSV → its cue text; null (or '') = the correct form, no cue. */
    labels: z.record(z.string().trim().min(1).max(100), z.string().trim().max(200).nullable()),
    aspect: z.number().finite().min(0.1).max(10).optional(),
    minRowsPerClass: z.number().int().min(2).max(100_000).optional(),
    epochs: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine(oneSource, 'Give either a path or the CSV text');

/** The settings as saved (a damaged settings file is an error, never silently replaced by defaults). */
export interface CueSettingsInfo {
  settings: CueSettings;
}

export const CueSettingsSchema = z
  .object({
    offExercises: z.array(z.enum(EXERCISE_TYPES)).max(100).optional(),
    disabled: z.array(z.string().min(1).max(200)).max(1000).optional(), // a learned cue id: up to 166
    thresholds: z
      .record(
        z.string().min(1).max(100),
        z.number({ error: 'A threshold must be a number' }).finite('A threshold must be a finite number'),
      )
      .optional(),
    minVisibility: z
      .number()
      .min(0, 'minVisibility must be between 0 and 1')
      .max(1, 'minVisibility must be between 0 and 1')
      .optional(),
  })
  .strict()
  // unknown rule ids and the like, named (the same check the settings file gets when it is read)
  .superRefine((s, ctx) => {
    for (const message of validateCueSettings(s))
      ctx.addIssue({ code: 'custom', message, path: [message.split(/[.:]/)[0]!] });
  });

export const cuesContract = {
  'cues.getSettings': call<CueSettingsInfo>()(z.object({}).strict()),
  /** Replaces the whole settings (the panel sends them all); answers with the settings as saved. */
  'cues.setSettings': call<CueSettingsInfo>()(z.object({ settings: CueSettingsSchema }).strict()),
  /** Reads a landmark CSV (only reads it) and says what it holds; bad columns are a bad_input naming them. */
  'cues.previewCsv': call<LandmarkCsvPreview>()(
    z.object(CsvSource).strict().refine(oneSource, 'Give either a path or the CSV text'),
  ),
  /**
   * Trains a learned cue model from a landmark CSV and keeps it in the project, replacing the model of the same
   * exercise and name only when training finished (bad data, a failed run: nothing saved, the old one stays).
   */
  'cues.trainLearned': call<StoredLearnedCueModel>()(TrainInput),
  /**
   * The same as a job (progress per epoch, cancellable with `jobs.cancel`): the CSV is checked first (bad data =
   * bad_input, no job); the model is saved only when the job finishes, a cancelled job saves nothing.
   */
  'cues.startTraining': call<{ jobId: string }>()(TrainInput),
  /** The project's learned cue models (several per exercise when named), in full: the app runs them. */
  'cues.listLearned': call<{ models: StoredLearnedCueModel[] }>()(z.object({}).strict()),
  'cues.deleteLearned': call<{ ok: true }>()(
    z.object({ exercise: z.enum(EXERCISE_TYPES), modelName: ModelName }).strict(),
  ),
} as const;
