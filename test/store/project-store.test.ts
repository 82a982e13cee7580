import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { openDatabase, schemaVersion } from '../../src-main/store/database';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { videoRecord } from '../support/video-record';

const homes: string[] = [];
function newServices(): Services {
  const home = mkdtempSync(join(tmpdir(), 'fs-store-'));
  homes.push(home);
  return new Services({ home, mode: 'browser', version: 'test' });
}
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

const video = videoRecord;

describe('project store', () => {
  it('creates a default project on first start, migrated to the latest schema, in WAL mode', async () => {
    const s = newServices();
    const p = await s.invoke('project.get', {});
    expect(p.name).toBe('My project');
    expect(p.counts.videos).toBe(0);
    expect(schemaVersion(s.db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    s.close();
    // Reopening keeps the same project and does not re-run migrations.
    const db = openDatabase(join(homes[0], 'form-studio.db'));
    expect((db.prepare('SELECT COUNT(*) n FROM projects').get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('validates every call: bad input is a typed error, never a crash', async () => {
    const s = newServices();
    const bad = await s.call('labels.edit', { edits: [{ videoId: 1, score: 101 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('bad_input');
      expect(bad.error.issues?.[0].message).toContain('between 0 and 100');
    }
    expect((await s.call('labels.edit', { edits: [{ videoId: 1, exerciseType: 'yoga' }] })).ok).toBe(false);
    expect((await s.call('labels.edit', { edits: [{ videoId: 1, score: 50.55 }] })).ok).toBe(false);
    expect((await s.call('labels.edit', { edits: [{ videoId: 1, score: 50, extra: 1 }] })).ok).toBe(false);
    expect((await s.call('nope', {})).ok).toBe(false);
    expect((await s.call('project.get', 'not an object')).ok).toBe(false);
    const missing = await s.call('labels.edit', { edits: [{ videoId: 999, score: 50 }] });
    expect(!missing.ok && missing.error.code).toBe('not_found');
    s.close();
  });

  it('applies label edits in one transaction and returns saved rows', async () => {
    const s = newServices();
    const a = s.store.upsertVideo(video('exercises_train/squat_1.mp4', { exerciseType: 'squat' }));
    const b = s.store.upsertVideo(video('exercises_test/pushup_1.mp4', { split: 'test' }));
    const r = await s.invoke('labels.edit', {
      edits: [
        { videoId: a, score: 85 },
        { videoId: b, exerciseType: 'pushup', score: 72.5, split: 'train' },
      ],
    });
    expect(r.rows.find((x) => x.id === a)?.label).toMatchObject({ exerciseType: 'squat', score: 85 });
    expect(r.rows.find((x) => x.id === b)).toMatchObject({
      split: 'train',
      label: { exerciseType: 'pushup', score: 72.5 },
    });
    // A failing edit in a batch rolls the whole batch back.
    const failed = await s.call('labels.edit', {
      edits: [
        { videoId: a, score: 10 },
        { videoId: 12345, score: 10 },
      ],
    });
    expect(failed.ok).toBe(false);
    expect(s.store.videoById(a)?.label.score).toBe(85);
    // Clearing a field.
    await s.invoke('labels.edit', { edits: [{ videoId: a, score: null }] });
    expect(s.store.videoById(a)?.label).toMatchObject({ exerciseType: 'squat', score: null });
    expect((await s.invoke('project.get', {})).counts.labeled).toBe(1);
    s.close();
  });

  it('previews a CSV without writing, then applies it atomically; export round-trips', async () => {
    const s = newServices();
    const a = s.store.upsertVideo(video('exercises_train/squat_1.mp4'));
    s.store.upsertVideo(video('exercises_train/squat_2.mp4'));
    await s.invoke('labels.edit', { edits: [{ videoId: a, exerciseType: 'squat', score: 80 }] });
    const csv =
      'relative_path,exercise_type,score\nexercises_train/squat_1.mp4,squat,80\nexercises_train/squat_2.mp4,squat,65\nmissing.mp4,squat,50\n';
    const preview = await s.invoke('labels.previewCsv', { csv });
    expect(preview.counts).toEqual({ new: 1, updated: 0, unchanged: 1, unknown_path: 1, ambiguous_path: 0 });
    expect(s.store.videoById(a + 1)?.label.score).toBeNull();
    const bad = await s.call('labels.applyCsv', { csv: csv + 'exercises_train/squat_1.mp4,squat,900\n' });
    expect(bad.ok).toBe(false);
    expect(s.store.videoById(a + 1)?.label.score).toBeNull(); // nothing applied
    // An unknown path refuses the file unless allowed (then it is skipped).
    expect((await s.call('labels.applyCsv', { csv })).ok).toBe(false);
    expect(s.store.videoById(a + 1)?.label.score).toBeNull();
    expect(await s.invoke('labels.applyCsv', { csv, allowUnknown: true })).toEqual({ applied: 1, skipped: 1 });
    const out = join(homes[0], 'exercise_scores.csv');
    const exported = await s.invoke('labels.exportCsv', { path: out });
    expect(exported.rows).toBe(2);
    const again = await s.invoke('labels.previewCsv', { csv: exported.csv });
    expect(again.counts).toEqual({ new: 0, updated: 0, unchanged: 2, unknown_path: 0, ambiguous_path: 0 });
    s.close();
  });

  it('bulk-edits 1,000 rows in one transaction', async () => {
    const s = newServices();
    const ids = s.db.transaction(() =>
      Array.from({ length: 1000 }, (_, i) => s.store.upsertVideo(video(`v/${i}.mp4`))),
    )();
    const r = await s.invoke('labels.edit', {
      edits: ids.map((id) => ({ videoId: id, exerciseType: 'lunge' as const })),
    });
    expect(r.rows).toHaveLength(1000);
    expect(r.rows.every((x) => x.label.exerciseType === 'lunge')).toBe(true);
    s.close();
  });

  it('keeps project settings', async () => {
    const s = newServices();
    await s.invoke('project.setSetting', { key: 'grid.columns', value: [{ colId: 'score', width: 80 }] });
    expect(await s.invoke('project.getSetting', { key: 'grid.columns' })).toEqual([{ colId: 'score', width: 80 }]);
    expect((await s.call('project.setSetting', { key: '../x', value: 1 })).ok).toBe(false);
    s.close();
  });
});

describe('settings with a meaning are validated', () => {
  it('refuses an unknown pose model and a bad camera index', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fs-store-'));
    homes.push(home);
    const s = new Services({ home, mode: 'browser' });
    expect((await s.call('project.setSetting', { key: 'pose.variant', value: 'giant' })).ok).toBe(false);
    expect((await s.call('project.setSetting', { key: 'live.camera', value: -1 })).ok).toBe(false);
    await s.invoke('project.setSetting', { key: 'pose.variant', value: 'lite' });
    expect(s.store.poseVariant()).toBe('lite');
    s.close();
  });
});
