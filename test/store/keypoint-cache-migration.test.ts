import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, schemaVersion } from '../../src-main/store/database';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { KeypointStore } from '../../src-main/store/keypoint-store';
import { readTrainingData } from '../../src-main/training/training-data';
import { isBinaryKeypointRecord } from '../../src-shared/keypoints/cache-record';
import type { StoredKeypoints } from '../../src-shared/keypoints/stored';
import { fixture } from '../support/fixtures';
import { migrationProgressLines } from '../../src-main/cli/migration-progress';

// A project database as Form Studio wrote it before the binary cache (schema 4, JSON records), opened by this
// version: every record converted in one transaction, read back bit for bit as float32; a failure half-way
// leaves the project exactly as it was, and it converts on the next open.
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** Real MediaPipe landmarks, rounded as the previous flattenFrame did (1e-5, doubles). */
function legacyKeypoints(offset: number): StoredKeypoints {
  const raw = JSON.parse(readFileSync(fixture('pose-reference', 'pose_squats.full.json'), 'utf8')) as number[][][];
  const r = (v: number) => Math.round(v * 1e5) / 1e5;
  const frames: Array<number[] | null> = raw
    .slice(offset, offset + 24)
    .map((f) => f.flatMap(([x, y, z], i) => [r(x / 640), r(y / 480), r(z / 640), r(0.9 - i / 100)]));
  frames[offset % 24] = null;
  const world = frames.map((f) => (f ? f.map((v) => r(v / 3 - 0.2)) : null));
  return { numFrames: 24, variant: 'full', timestamps: frames.map((_, i) => (i + 0.5) / 2.4), frames, world };
}

/** The previous KeypointStore.save, verbatim in what it wrote: JSON of StoredKeypoints. */
function saveLegacy(db: Database.Database, hash: string, kp: StoredKeypoints | null, status = 'ok'): void {
  db.prepare(
    `INSERT INTO keypoint_cache (content_hash, num_frames, sampling, model_variant, status, person_rate, message, data)
     VALUES (?, 24, 'uniform-center-v1', 'full', ?, ?, ?, ?)`,
  ).run(hash, status, kp ? 23 / 24 : null, status === 'ok' ? null : 'x', kp ? Buffer.from(JSON.stringify(kp)) : null);
}

function legacyProject(): { file: string; kps: StoredKeypoints[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fs-kpmig-'));
  dirs.push(dir);
  const file = join(dir, 'form-studio.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, 4);
  const pid = Number(db.prepare(`INSERT INTO projects (name, media_root) VALUES ('p', ?)`).run(dir).lastInsertRowid);
  // What the JSON row holds (JSON has no -0: it reads back as 0).
  const kps = [0, 5, 11, 30].map((o) => JSON.parse(JSON.stringify(legacyKeypoints(o))) as StoredKeypoints);
  kps.forEach((kp, i) => {
    saveLegacy(db, `sha256:${i}`, kp);
    const vid = db
      .prepare(`INSERT INTO videos (project_id, rel_path, content_hash, status) VALUES (?, ?, ?, 'ok')`)
      .run(pid, `v${i}.mp4`, `sha256:${i}`).lastInsertRowid;
    db.prepare(`INSERT INTO labels (video_id, exercise_type, score) VALUES (?, 'squat', ?)`).run(vid, 50 + i);
  });
  saveLegacy(db, 'sha256:err', null, 'error');
  saveLegacy(db, 'sha256:nopose', { ...kps[0], frames: [null], world: null, timestamps: [0.5] }, 'no_pose');
  db.close();
  return { file, kps };
}

const bits = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];
function expectFloat32Of(got: Array<number[] | null>, want: Array<number[] | null>) {
  expect(got.length).toBe(want.length);
  want.forEach((f, i) => {
    if (!f) return expect(got[i]).toBeNull();
    expect(got[i]!.length).toBe(132);
    f.forEach((v, j) => {
      if (got[i]![j] !== Math.fround(v) || bits(got[i]![j]) !== bits(v)) expect([i, j, got[i]![j]]).toEqual([i, j, v]);
    });
  });
}

describe('keypoint cache migration to binary records', () => {
  it('converts every JSON record; every reader gets the float32 of the stored values exactly', () => {
    const { file, kps } = legacyProject();
    const before = new Database(file);
    const jsonBytes = (before.prepare('SELECT SUM(length(data)) n FROM keypoint_cache').get() as { n: number }).n;
    before.close();

    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
      const rows = db
        .prepare('SELECT content_hash, status, message, data FROM keypoint_cache ORDER BY content_hash')
        .all() as Array<{
        content_hash: string;
        status: string;
        message: string | null;
        data: Buffer | null;
      }>;
      expect(rows.map((r) => [r.content_hash, r.status, r.data ? isBinaryKeypointRecord(r.data) : null])).toEqual([
        ['sha256:0', 'ok', true],
        ['sha256:1', 'ok', true],
        ['sha256:2', 'ok', true],
        ['sha256:3', 'ok', true],
        ['sha256:err', 'error', null],
        ['sha256:nopose', 'no_pose', true],
      ]);
      const binBytes = rows.reduce((s, r) => s + (r.data?.length ?? 0), 0);
      expect(binBytes).toBeLessThan(jsonBytes * 0.75);

      const store = new KeypointStore(db);
      kps.forEach((kp, i) => {
        const got = store.get({ contentHash: `sha256:${i}`, numFrames: 24, variant: 'full' })!;
        expect(got.status).toBe('ok');
        expect(got.timestamps).toEqual(kp.timestamps);
        expectFloat32Of(got.frames, kp.frames);
        expectFloat32Of(got.world!, kp.world!);
      });
      expect(store.get({ contentHash: 'sha256:err', numFrames: 24, variant: 'full' })).toMatchObject({
        status: 'error',
        frames: [],
      });
      expect(store.get({ contentHash: 'sha256:nopose', numFrames: 24, variant: 'full' })).toMatchObject({
        status: 'no_pose',
        frames: [null],
        world: null,
      });
      // Training reads the same numbers.
      const data = readTrainingData(db, 1, 24, 'full', false);
      expect(data.items).toHaveLength(4);
      data.items.forEach((it, i) => expectFloat32Of(it.keypoints.frames, kps[i].frames));
    } finally {
      db.close();
    }
  });

  it('a failure half-way changes nothing (one transaction); the next open converts', () => {
    const { file } = legacyProject();
    const snapshot = (db: Database.Database) =>
      db.prepare('SELECT content_hash, hex(data) d FROM keypoint_cache ORDER BY content_hash').all();
    const db = new Database(file);
    const before = snapshot(db);
    // The third record's write fails (as a full disk would), after two were converted.
    db.exec(`CREATE TRIGGER fail_third BEFORE UPDATE ON keypoint_cache WHEN old.content_hash = 'sha256:2'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    expect(() => migrate(db)).toThrow(/disk I\/O error/);
    expect(schemaVersion(db)).toBe(4);
    expect(snapshot(db)).toEqual(before);
    db.exec('DROP TRIGGER fail_third');
    db.close();
    const again = openDatabase(file);
    try {
      expect(schemaVersion(again)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
      const n = (
        again.prepare("SELECT COUNT(*) n FROM keypoint_cache WHERE hex(substr(data, 1, 4)) = '46534B50'").get() as {
          n: number;
        }
      ).n;
      expect(n).toBe(5);
    } finally {
      again.close();
    }
  });

  it('reports its progress (records done of total) while it runs, still in one transaction', () => {
    const { file } = legacyProject();
    const heard: Array<[number, string, number, number, number]> = [];
    // Another connection sees the committed state: still version 4 while the conversion reports.
    const db0 = new Database(file, { readonly: true });
    const db = openDatabase(file, (p) => heard.push([p.version, p.name, p.done, p.total, schemaVersion(db0)]));
    db.close();
    db0.close();
    // Five records with data (the error row has none): the total first, then each page.
    expect(heard.map(([v, , done, total, seen]) => [v, done, total, seen])).toEqual([
      [5, 0, 5, 4],
      [5, 5, 5, 4],
    ]);
    expect(heard[0][1]).toMatch(/keypoint cache/);
  });

  it('the CLI prints a long migration once a second at most, and nothing for a small one', () => {
    const lines: string[] = [];
    const progress = migrationProgressLines((l) => lines.push(l));
    const p = (done: number, total: number) => progress({ version: 5, name: 'keypoint cache', done, total });
    p(0, 12);
    p(12, 12);
    expect(lines).toEqual([]);
    p(0, 100_000);
    for (let d = 500; d <= 100_000; d += 500) p(d, 100_000);
    expect(lines[0]).toBe('Updating the project database (migration 5: keypoint cache): 100,000 records…');
    expect(lines.at(-1)).toMatch(/^ {2}done: 100,000 records in \d+ s$/);
    expect(lines.length).toBeLessThan(5); // the loop above takes well under a second
  });
});
