/** API calls of the form cues: the coach's cue settings (cues off per exercise, thresholds), saved in the project. */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES } from '../domain/exercises';
import { validateCueSettings } from '../cues/evaluate'; // not the index: it also exports the tfjs trainer
import type { CueSettings } from '../cues/types';

/** The settings as saved (a damaged settings file is an error, never silently replaced by defaults). */
export interface CueSettingsInfo {
  settings: CueSettings;
}

export const CueSettingsSchema = z
  .object({
    offExercises: z.array(z.enum(EXERCISE_TYPES)).max(100).optional(),
    disabled: z.array(z.string().min(1).max(100)).max(1000).optional(),
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
} as const;
