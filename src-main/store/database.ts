import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Open the project database: WAL for concurrent readers, synchronous=FULL so an acknowledged label
 * survives a crash or power loss, foreign keys on, then migrate to the latest schema.
 */
/** A data migration's progress: which migration, its name, records done of total. */
export type MigrationProgress = (p: { version: number; name: string; done: number; total: number }) => void;

export function openDatabase(file: string, onMigrationProgress?: MigrationProgress): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, undefined, onMigrationProgress);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Migrate to the latest schema (or to `upTo`, which only tests use: to build a project as an older version did). */
export function migrate(db: Db, upTo?: number, onProgress?: MigrationProgress): void {
  const current = schemaVersion(db);
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `This project database has schema version ${current}, newer than this app understands (${latest}). Update Form Studio.`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || (upTo !== undefined && m.version > upTo)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      // Still one transaction: a crash or failure part-way leaves the database as it was.
      m.run?.(db, (done, total) => onProgress?.({ version: m.version, name: m.name, done, total }));
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
