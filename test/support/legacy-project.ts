/**
 * A project exactly as Form Studio wrote it before the content-addressed layout (schema version 3): the import
 * hard-linked (else copied) each source to `<media>/imported/<folder>/<relPath>` and stored that path as the row's
 * rel_path. `placeFile` and the INSERT below are the previous import-job code, kept verbatim for the migration test.
 */
import Database from 'better-sqlite3';
import { copyFile, link, mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { migrate } from '../../src-main/store/database';
import { homePaths } from '../../src-main/paths';
import { hashFile } from '../../src-main/media/hash';

async function placeFile(src: string, dest: string): Promise<void> {
  try {
    const [a, b] = await Promise.all([stat(src), stat(dest)]);
    if (a.size === b.size) return; // already placed by an earlier import
  } catch {
    /* dest does not exist */
  }
  await mkdir(dirname(dest), { recursive: true });
  try {
    await link(src, dest);
  } catch {
    await copyFile(src, dest);
  }
}

/** Build a v3 home with `files` imported from `root`; labels, a keypoint cache entry and a model per video. */
export async function makeLegacyProject(home: string, root: string, files: string[]): Promise<void> {
  const paths = homePaths(home);
  const db = new Database(paths.db);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, 3);
  const pid = Number(
    db.prepare('INSERT INTO projects (name, media_root) VALUES (?, ?)').run('My project', paths.media).lastInsertRowid,
  );
  const run = Number(
    db
      .prepare(
        `INSERT INTO training_runs (project_id, model_kind, settings_json, status) VALUES (?, 'standard', '{}', 'done')`,
      )
      .run(pid).lastInsertRowid,
  );
  const model = Number(
    db
      .prepare(
        `INSERT INTO models (project_id, run_id, name, kind, file_path) VALUES (?, ?, 'm', 'standard', 'models/m.json')`,
      )
      .run(pid, run).lastInsertRowid,
  );
  for (const [i, abs] of files.entries()) {
    const rel = relative(root, abs).split(sep).join('/');
    const dest = join(paths.media, 'imported', basename(root), ...rel.split('/'));
    await placeFile(abs, dest);
    const { hash } = await hashFile(abs);
    const relPath = relative(paths.media, dest).split(sep).join('/');
    const id = Number(
      db
        .prepare(
          `INSERT INTO videos (project_id, rel_path, split, content_hash, size_bytes, status, source) VALUES (?, ?, 'train', ?, ?, 'ok', 'import')`,
        )
        .run(pid, relPath, hash, (await stat(abs)).size).lastInsertRowid,
    );
    db.prepare(`INSERT INTO labels (video_id, exercise_type, score, labeled_by) VALUES (?, 'squat', ?, 'coach')`).run(
      id,
      60 + i,
    );
    db.prepare(
      `INSERT INTO keypoint_cache (content_hash, num_frames, sampling, model_variant, status, message) VALUES (?, 24, 'uniform-center-v1', 'full', 'no_pose', 'x')`,
    ).run(hash);
    db.prepare(`INSERT INTO predictions (video_id, model_id, score) VALUES (?, ?, 50)`).run(id, model);
  }
  db.close();
}
