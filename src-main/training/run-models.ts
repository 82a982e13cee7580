/**
 * A run's saved models (home/models/<id>.fsmodel, listed in the models table) and the predictions a model made
 * for the project's videos (the Library's predicted columns).
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../store/database';
import { ApiError } from '../../src-shared/api/errors';
import { writeFileAtomic } from '../fs-safe';
import { unpackFile } from '../../src-shared/model/serialize';
import type { ModelSpec } from '../../src-shared/model/architecture';
import type { ExerciseType } from '../../src-shared/domain/exercises';
import type { TrainingItem, TrainingSettings } from '../../src-shared/api/training-contract';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

/** The columns of a training_runs row a saved model needs. */
export interface RunOfModel {
  id: number;
  model_kind: string;
  settings_json: string;
  data_json: string | null;
}

export interface ModelToSave {
  runId: number;
  role: 'best' | 'final';
  bytes: Uint8Array;
  valMae: number | null;
  metrics: Record<string, unknown>;
}

export interface RunModelsDeps {
  db: Db;
  projectId: number;
  modelsDir: string;
  /** The labeled training items for a frame count and pose model (what the run trained on). */
  trainingItems(numFrames: number, variant: PoseModelVariant): TrainingItem[];
}

/** Write home/models/<id>.fsmodel atomically and list it; replaces the run's earlier model of this role. */
export async function saveRunModel(
  d: RunModelsDeps,
  run: RunOfModel,
  m: ModelToSave,
): Promise<{ modelId: number; name: string; path: string }> {
  if (m.bytes.length < 12 || Buffer.from(m.bytes.subarray(0, 8)).toString('latin1') !== 'FSMODEL1') {
    throw new ApiError('bad_input', 'Not a Form Studio model file (FSMODEL1)');
  }
  // What scoring needs to know (frames, exercise head) comes from the file itself, not from the caller.
  let spec: ModelSpec;
  try {
    spec = unpackFile(m.bytes).manifest.spec;
  } catch (err) {
    throw new ApiError('bad_input', `Unreadable model file: ${(err as Error).message}`);
  }
  const metrics = {
    ...m.metrics,
    numFrames: spec.numFrames,
    hasExerciseHead: !!spec.heads.exercise,
    modelKind: spec.kind,
    data: trainedOn(d, run, spec.numFrames),
  };
  const kindLabel = run.model_kind === 'high-accuracy' ? 'high-accuracy' : run.model_kind;
  const name = `run ${run.id} · ${kindLabel} · val MAE ${m.valMae === null ? '—' : m.valMae.toFixed(1)}${m.role === 'final' ? ' · final epoch' : ''}`;
  const old = d.db
    .prepare('SELECT id, file_path FROM models WHERE run_id = ? AND role = ?')
    .all(m.runId, m.role) as Array<{ id: number; file_path: string }>;
  const id = Number(
    d.db
      .prepare(
        'INSERT INTO models (project_id, run_id, name, kind, role, file_path, size_bytes, val_mae, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(d.projectId, m.runId, name, run.model_kind, m.role, '', m.bytes.length, m.valMae, JSON.stringify(metrics))
      .lastInsertRowid,
  );
  const path = join(d.modelsDir, `${id}.fsmodel`);
  try {
    await writeFileAtomic(path, m.bytes);
  } catch (err) {
    d.db.prepare('DELETE FROM models WHERE id = ?').run(id);
    throw err;
  }
  d.db.transaction(() => {
    d.db.prepare('UPDATE models SET file_path = ? WHERE id = ?').run(path, id);
    for (const o of old) d.db.prepare('DELETE FROM models WHERE id = ?').run(o.id);
  })();
  for (const o of old) if (o.file_path) await unlink(o.file_path).catch(() => undefined);
  return { modelId: id, name, path };
}

/** What a run's model was trained on: its split sizes and the labeled clips per exercise (the query training used). */
function trainedOn(d: RunModelsDeps, run: RunOfModel, numFrames: number): Record<string, unknown> {
  const settings = JSON.parse(run.settings_json) as TrainingSettings;
  const items = d.trainingItems(numFrames, (settings.variant ?? 'full') as PoseModelVariant);
  const perExercise: Record<string, number> = {};
  for (const it of items) perExercise[it.exercise] = (perExercise[it.exercise] ?? 0) + 1;
  return {
    ...(run.data_json ? (JSON.parse(run.data_json) as object) : {}),
    perExercise,
    variant: settings.variant ?? 'full',
  };
}

export interface PredictionToSave {
  videoId: number;
  score: number;
  exerciseType: ExerciseType | null;
  confidence: number | null;
}

/** Store (or replace) a model's predictions; every video must be in the project. Returns how many were saved. */
export function savePredictions(db: Db, projectId: number, modelId: number, items: PredictionToSave[]): number {
  const model = db.prepare('SELECT id FROM models WHERE id = ? AND project_id = ?').get(modelId, projectId);
  if (!model) throw new ApiError('not_found', `Model ${modelId} does not exist`);
  return db.transaction(() => {
    const exists = db.prepare('SELECT 1 FROM videos WHERE id = ? AND project_id = ?');
    const up = db.prepare(
      `INSERT INTO predictions (video_id, model_id, score, exercise_type, confidence) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(video_id, model_id) DO UPDATE SET score = excluded.score, exercise_type = excluded.exercise_type,
         confidence = excluded.confidence, created_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    );
    let n = 0;
    for (const it of items) {
      if (!exists.get(it.videoId, projectId))
        throw new ApiError('not_found', `Video ${it.videoId} is not in this project`);
      up.run(it.videoId, modelId, it.score, it.exerciseType, it.confidence);
      n++;
    }
    return n;
  })();
}
