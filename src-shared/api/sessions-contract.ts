/** API calls of scoring sessions: a live set (or a scored video) saved with its reps and a snapshot. */
import { z } from 'zod';
import { call } from './call';
import { EXERCISE_TYPES, type ExerciseType } from '../domain/exercises';

export interface SessionRep {
  index: number;
  score: number;
  startSec: number;
  endSec: number;
}

export interface SessionInfo {
  id: number;
  source: string;
  exerciseType: ExerciseType | null;
  modelId: number | null;
  reps: SessionRep[];
  holdSec: number | null;
  meanScore: number | null;
  bestRep: SessionRep | null;
  worstRep: SessionRep | null;
  /** URL path of the snapshot image, or null. */
  snapshotUrl: string | null;
  createdAt: string;
}

const Rep = z.object({ index: z.number().int().min(0), score: z.number().finite().min(0).max(100).nullable(), startSec: z.number().finite().min(0), endSec: z.number().finite().min(0) }).strict();

export const sessionsContract = {
  'sessions.save': call<SessionInfo>()(
    z
      .object({
        source: z.string().min(1).max(200),
        exerciseType: z.enum(EXERCISE_TYPES).nullable(),
        modelId: z.number().int().positive().nullable(),
        reps: z.array(Rep).max(10_000),
        holdSec: z.number().finite().min(0).nullable(),
        /** JPEG, base64 (a frame of the set with the skeleton drawn). */
        snapshotJpegBase64: z.string().max(20_000_000).nullable(),
      })
      .strict(),
  ),
  'sessions.list': call<SessionInfo[]>()(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict()),
} as const;
