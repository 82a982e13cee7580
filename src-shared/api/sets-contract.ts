/**
 * API calls of saved sets: a live set (or a scored video) saved with its reps and a snapshot. The call names keep
 * their wire name `sessions.*` (clients and the `sessions` table use it); in code a live set is a *set*, a training
 * *run*.
 */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';
import type { Cue, CueCount } from '../cues';

export interface SavedSetRep {
  index: number;
  score: number;
  startSec: number;
  endSec: number;
  /** The rep's form cue (the most severe), as found — not only the ones Live showed. */
  cue?: Cue | null;
}

export interface SavedSet {
  id: number;
  source: string;
  exerciseType: ExerciseType | null;
  modelId: number | null;
  reps: SavedSetRep[];
  holdSec: number | null;
  meanScore: number | null;
  bestRep: SavedSetRep | null;
  worstRep: SavedSetRep | null;
  /** The set's top form cues with how many reps (plank: 5-s windows) had them. */
  cueSummary: CueCount[];
  /** URL path of the snapshot image, or null. */
  snapshotUrl: string | null;
  createdAt: string;
}

const CueSchema = z
  .object({
    id: z.string().min(1).max(200), // learned.<exercise>@<model name ≤ 40>.<label ≤ 100>: up to 166
    text: z.string().min(1).max(300),
    severity: z.number().finite().min(0).max(1),
    source: z.enum(['rule', 'learned']),
  })
  .strict();
const Rep = z
  .object({
    index: z.number().int().min(0),
    score: z.number().finite().min(0).max(100).nullable(),
    startSec: z.number().finite().min(0),
    endSec: z.number().finite().min(0),
    cue: CueSchema.nullable().optional(),
  })
  .strict();

export const setsContract = {
  'sessions.save': call<SavedSet>()(
    z
      .object({
        source: z.string().min(1).max(200),
        exerciseType: z.enum(EXERCISE_TYPES).nullable(),
        modelId: z.number().int().positive().nullable(),
        reps: z.array(Rep).max(10_000),
        holdSec: z.number().finite().min(0).nullable(),
        /** Plank: the form cue of each 5-s window of the hold (null = none). */
        holdCues: z.array(CueSchema.nullable()).max(10_000).optional(),
        /** JPEG, base64 (a frame of the set with the skeleton drawn). */
        snapshotJpegBase64: z.string().max(20_000_000).nullable(),
      })
      .strict(),
  ),
  'sessions.list': call<SavedSet[]>()(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict()),
} as const;
