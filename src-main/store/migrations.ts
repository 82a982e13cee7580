/**
 * Versioned schema migrations. Each entry runs once, in order, inside a transaction; the version is
 * kept in SQLite's `user_version`. Never edit a shipped migration: add a new one. `run` is for data
 * conversions SQL cannot express; it runs after `sql`, in the same transaction.
 */
import type Database from 'better-sqlite3';
import { convertKeypointCacheToBinary } from './keypoint-migration';

export const MIGRATIONS: ReadonlyArray<{
  version: number;
  name: string;
  sql: string;
  /** `progress` (done, total): for the user, when a conversion takes long. */
  run?: (db: Database.Database, progress: (done: number, total: number) => void) => void;
}> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        media_root TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        settings_json TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE videos (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        rel_path TEXT NOT NULL,
        split TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train','test')),
        content_hash TEXT,
        size_bytes INTEGER,
        duration_sec REAL,
        fps REAL,
        frame_count INTEGER,
        width INTEGER,
        height INTEGER,
        rotation INTEGER,
        codec TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','ok','error')),
        error_code TEXT,
        error_message TEXT,
        source TEXT NOT NULL DEFAULT 'import',
        group_key TEXT,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (project_id, rel_path)
      );
      CREATE INDEX videos_hash ON videos(project_id, content_hash);
      CREATE TABLE labels (
        video_id INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE,
        exercise_type TEXT,
        score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 100)),
        labeled_by TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE keypoint_cache (
        content_hash TEXT NOT NULL,
        num_frames INTEGER NOT NULL,
        sampling TEXT NOT NULL,
        model_variant TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok','no_pose','error')),
        person_rate REAL,
        message TEXT,
        data BLOB,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (content_hash, num_frames, sampling, model_variant)
      );
      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        model_kind TEXT NOT NULL,
        settings_json TEXT NOT NULL,
        status TEXT NOT NULL,
        backend TEXT,
        message TEXT,
        best_epoch INTEGER,
        best_val_mae REAL,
        started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        finished_at TEXT
      );
      CREATE TABLE epoch_metrics (
        run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        metrics_json TEXT NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        run_id INTEGER REFERENCES training_runs(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'best',
        file_path TEXT NOT NULL,
        size_bytes INTEGER,
        val_mae REAL,
        metrics_json TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE predictions (
        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        exercise_type TEXT,
        confidence REAL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (video_id, model_id)
      );
    `,
  },
  {
    version: 2,
    name: 'training runs: checkpoint, evaluation, data summary',
    sql: `
      ALTER TABLE training_runs ADD COLUMN checkpoint_epoch INTEGER;
      ALTER TABLE training_runs ADD COLUMN evaluation_json TEXT;
      ALTER TABLE training_runs ADD COLUMN data_json TEXT;
      CREATE INDEX IF NOT EXISTS models_run ON models(run_id, role);
      CREATE INDEX IF NOT EXISTS predictions_model ON predictions(model_id);
    `,
  },
  {
    version: 3,
    name: 'scoring sessions (live sets and scored videos) with a snapshot',
    sql: `
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        exercise_type TEXT,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        reps INTEGER NOT NULL DEFAULT 0,
        hold_sec REAL,
        mean_score REAL,
        summary_json TEXT NOT NULL,
        snapshot_path TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
    `,
  },
  {
    version: 4,
    name: 'content-addressed media: storage key, original path and toolkit path are separate from the display path',
    sql: `
      ALTER TABLE videos ADD COLUMN storage_key TEXT;
      ALTER TABLE videos ADD COLUMN original_path TEXT;
      ALTER TABLE videos ADD COLUMN toolkit_path TEXT;
      CREATE INDEX IF NOT EXISTS videos_storage ON videos(storage_key);
    `,
  },
  {
    version: 5,
    name: 'keypoint cache: binary records (float32 landmarks) instead of JSON',
    sql: '',
    run: (db, progress) => {
      convertKeypointCacheToBinary(db, progress);
    },
  },
];
