/**
 * Saved sets: the summary of a live set or a scored video, kept in the project with a snapshot. The table, the
 * folder on disk, the media kind and the API calls keep their stored name "sessions" (persisted data and wire names).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext, CallsOf, Feature } from '../app-context';
import type { setsContract, SavedSet, SavedSetRep } from '../../src-shared/api/sets-contract';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import { writeFileAtomic } from '../fs-safe';
import { mediaUrlPath } from '../../src-shared/api/media-url';
import { summarizeCues, type CueCount } from '../../src-shared/cues/sparing';
import type { Cue } from '../../src-shared/cues/types';

interface SetRow {
  id: number;
  source: string;
  exercise_type: ExerciseType | null;
  model_id: number | null;
  hold_sec: number | null;
  mean_score: number | null;
  summary_json: string;
  snapshot_path: string | null;
  created_at: string;
}

export function setsDir(services: AppContext): string {
  return join(services.paths.home, 'sessions'); // the folder's stored name
}

function toInfo(r: SetRow): SavedSet {
  const { reps, cueSummary } = JSON.parse(r.summary_json) as { reps: SavedSetRep[]; cueSummary?: CueCount[] };
  const sorted = reps.filter((r) => r.score !== null).sort((a, b) => (b.score ?? 0) - (a.score ?? 0)); // null = no model score
  return {
    id: r.id,
    source: r.source,
    exerciseType: r.exercise_type,
    modelId: r.model_id,
    reps,
    holdSec: r.hold_sec,
    meanScore: r.mean_score,
    bestRep: sorted[0] ?? null,
    worstRep: sorted[sorted.length - 1] ?? null,
    cueSummary: cueSummary ?? [], // sets saved before cues: none
    snapshotUrl: r.snapshot_path ? mediaUrlPath('session', r.id) : null,
    createdAt: r.created_at,
  };
}

export function setSnapshotPath(services: AppContext, id: number): string | null {
  const r = services.db
    .prepare('SELECT snapshot_path FROM sessions WHERE project_id = ? AND id = ?')
    .get(services.store.projectId, id) as { snapshot_path: string | null } | undefined;
  return r?.snapshot_path ?? null;
}

export function createSetsFeature(services: AppContext): Feature<CallsOf<typeof setsContract>> {
  return {
    handlers: {
      'sessions.save': async ({ source, exerciseType, modelId, reps, holdSec, holdCues, snapshotJpegBase64 }) => {
        const scored = reps.filter((r) => r.score !== null).map((r) => r.score as number);
        const mean = scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null;
        // per-rep cues (or a plank's per-window cues) are kept; the summary is computed here, one way for every set
        const perWindow: Array<Cue | null | undefined> = holdCues ?? reps.map((r) => r.cue);
        const cueSummary = summarizeCues(perWindow.map((c) => (c ? [c] : [])));
        const id = Number(
          services.db
            .prepare(
              'INSERT INTO sessions (project_id, source, exercise_type, model_id, reps, hold_sec, mean_score, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              services.store.projectId,
              source,
              exerciseType,
              modelId,
              reps.length,
              holdSec,
              mean,
              JSON.stringify({ reps, ...(holdCues ? { holdCues } : {}), cueSummary }),
            ).lastInsertRowid,
        );
        if (snapshotJpegBase64) {
          await mkdir(setsDir(services), { recursive: true });
          const file = join(setsDir(services), `${id}.jpg`);
          await writeFileAtomic(file, Buffer.from(snapshotJpegBase64, 'base64'));
          services.db.prepare('UPDATE sessions SET snapshot_path = ? WHERE id = ?').run(file, id);
        }
        const row = services.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SetRow;
        return toInfo(row);
      },
      'sessions.list': ({ limit }) =>
        (
          services.db
            .prepare('SELECT * FROM sessions WHERE project_id = ? ORDER BY id DESC LIMIT ?')
            .all(services.store.projectId, limit ?? 20) as SetRow[]
        ).map(toInfo),
    },
  };
}
