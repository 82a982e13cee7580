/**
 * exercise_scores.csv matching against real imports (real ffmpeg-made clips, real SQLite): toolkit path first,
 * then the stored path, then a unique file name (reported as such); ambiguous and unknown paths listed with
 * their line and refused unless allowed; a folder's own CSV settles a path two data folders share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { dataRootOf, toolkitPathOf } from '../../src-main/library/import-paths';
import { importAndWait, makeClip } from '../support/user-files';

const tmp = mkdtempSync(join(tmpdir(), 'fs-tkcsv-'));
let s: Services;
const id = (relPath: string) => s.store.listRows().find((r) => r.relPath === relPath)!.id;
const HEADER = 'relative_path,exercise_type,score\n';

beforeAll(async () => {
  await makeClip(join(tmp, 'a', 'data', 'exercises_train', 'squat_001.mp4'), { title: 'a-squat' });
  await makeClip(join(tmp, 'a', 'data', 'exercises_train', 'lunge_001.mp4'), { title: 'a-lunge' });
  await makeClip(join(tmp, 'b', 'data', 'exercises_train', 'squat_001.mp4'), { title: 'b-squat' });
  await makeClip(join(tmp, 'loose', 'solo_clip.mp4'), { title: 'solo-cl' });
  await makeClip(join(tmp, 'c', 'data', 'exercises_test', 'plank_001.mp4'), { title: 'c-plank' });
  s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
  for (const dir of ['a/data', 'b/data', 'loose', 'c/data/exercises_test'])
    expect((await importAndWait(s, [join(tmp, dir)])).state).toBe('done');
}, 300_000);
afterAll(() => {
  s?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('toolkit paths', () => {
  it('is the path from the data root, found at any depth and in any case, or the imported folder itself', () => {
    expect(toolkitPathOf('/x/data', 'exercises_train/squat_001.mp4')).toBe('exercises_train/squat_001.mp4');
    expect(toolkitPathOf('/x/data', 'Exercises_Train/sub/a.mp4')).toBe('Exercises_Train/sub/a.mp4');
    expect(toolkitPathOf('/x/all', 'p1/data/EXERCISES_TEST/a.mp4')).toBe('EXERCISES_TEST/a.mp4');
    expect(toolkitPathOf('/x/data/exercises_test', 'a.mp4')).toBe('exercises_test/a.mp4');
    expect(toolkitPathOf('/x/exercises_train/videos', 'a.mp4')).toBeNull(); // above the imported folder: not ours to guess
    expect(toolkitPathOf('/x/videos', 'a.mp4')).toBeNull();
    expect(dataRootOf(join('/x', 'data', 'exercises_train', 'a.mp4'), 'exercises_train/a.mp4')).toBe(
      join('/x', 'data'),
    );
  });

  it('records them at import; importing data/exercises_test itself keeps the test split', () => {
    const rows = s.store.listRows();
    const by = Object.fromEntries(rows.map((r) => [r.relPath, [r.toolkitPath, r.split]]));
    expect(by).toEqual({
      'imported/data/exercises_train/squat_001.mp4': ['exercises_train/squat_001.mp4', 'train'],
      'imported/data/exercises_train/lunge_001.mp4': ['exercises_train/lunge_001.mp4', 'train'],
      'imported/data (2)/exercises_train/squat_001.mp4': ['exercises_train/squat_001.mp4', 'train'],
      'imported/loose/solo_clip.mp4': [null, 'train'],
      'imported/exercises_test/plank_001.mp4': ['exercises_test/plank_001.mp4', 'test'],
    });
  });
});

describe('CSV matching order', () => {
  it('matches by toolkit path, then stored path, then a unique file name (reported)', async () => {
    const csv =
      HEADER +
      'exercises_train/lunge_001.mp4,lunge,60\nimported/loose/solo_clip.mp4,squat,50\nEXERCISES_TEST/plank_001.mp4,plank,70\n';
    const p = await s.invoke('labels.previewCsv', { csv });
    expect(p.errors).toEqual([]);
    expect(p.changes.map((c) => [c.line, c.matchedBy, c.videoPath])).toEqual([
      [2, 'toolkit_path', 'imported/data/exercises_train/lunge_001.mp4'],
      [3, 'stored_path', 'imported/loose/solo_clip.mp4'],
      [4, 'toolkit_path', 'imported/exercises_test/plank_001.mp4'],
    ]);
    const byName = await s.invoke('labels.previewCsv', { csv: HEADER + 'solo_clip.mp4,squat,55\n' });
    expect(byName.changes[0]).toMatchObject({
      kind: 'new',
      matchedBy: 'file_name',
      videoPath: 'imported/loose/solo_clip.mp4',
    });
  });

  it('lists ambiguous and unknown paths with their line and candidates, and applies nothing unless allowed', async () => {
    const squatA = id('imported/data/exercises_train/squat_001.mp4');
    const csv =
      HEADER +
      'exercises_train/lunge_001.mp4,lunge,61\nexercises_train/squat_001.mp4,squat,80\nother/squat_001.mp4,squat,81\nnothing.mp4,squat,82\n';
    const p = await s.invoke('labels.previewCsv', { csv });
    expect(p.counts).toEqual({ new: 0, updated: 1, unchanged: 0, unknown_path: 1, ambiguous_path: 2 });
    expect(p.changes.slice(1).map((c) => [c.line, c.kind, c.candidates])).toEqual([
      [
        3,
        'ambiguous_path',
        ['imported/data (2)/exercises_train/squat_001.mp4', 'imported/data/exercises_train/squat_001.mp4'],
      ],
      [
        4,
        'ambiguous_path',
        ['imported/data (2)/exercises_train/squat_001.mp4', 'imported/data/exercises_train/squat_001.mp4'],
      ],
      [5, 'unknown_path', undefined],
    ]);
    const refused = await s.call('labels.applyCsv', { csv });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('bad_input');
      expect(refused.error.message).toContain(
        '3 paths in the CSV match no video or more than one; nothing was applied',
      );
      expect(refused.error.issues?.map((i) => i.path)).toEqual([
        'line 3 (relative_path)',
        'line 4 (relative_path)',
        'line 5 (relative_path)',
      ]);
    }
    expect(s.store.videoById(id('imported/data/exercises_train/lunge_001.mp4'))?.label.score).toBeNull();
    expect(await s.invoke('labels.applyCsv', { csv, allowUnknown: true })).toEqual({ applied: 1, skipped: 3 });
    expect(s.store.videoById(id('imported/data/exercises_train/lunge_001.mp4'))?.label.score).toBe(61);
    expect(s.store.videoById(squatA)?.label.score).toBeNull();
  });

  it("settles a shared toolkit path by the CSV's own folder", async () => {
    const csv = HEADER + 'exercises_train/squat_001.mp4,squat,77\n';
    const p = await s.invoke('labels.previewCsv', { csv, csvDir: join(tmp, 'b', 'data') });
    expect(p.changes[0]).toMatchObject({
      kind: 'updated',
      matchedBy: 'toolkit_path',
      videoPath: 'imported/data (2)/exercises_train/squat_001.mp4',
    });
    expect(await s.invoke('labels.applyCsv', { csv, csvDir: join(tmp, 'b', 'data') })).toEqual({
      applied: 1,
      skipped: 0,
    });
    expect(s.store.videoById(id('imported/data (2)/exercises_train/squat_001.mp4'))?.label.score).toBe(77);
  });

  it('refuses two rows meaning one video, and a path outside the data root, with their lines', async () => {
    const csv =
      HEADER +
      'imported/loose/solo_clip.mp4,squat,10\nsolo_clip.mp4,squat,20\n/home/coach/data/x.mp4,squat,30\nC:\\data\\x.mp4,squat,30\nexercises_train/../../x.mp4,squat,30\n';
    const p = await s.invoke('labels.previewCsv', { csv });
    expect(p.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'relative_path'],
      [4, 'relative_path'],
      [5, 'relative_path'],
      [6, 'relative_path'],
    ]);
    expect(p.errors[0].message).toBe('"solo_clip.mp4" is the same video as line 2 (imported/loose/solo_clip.mp4)');
    expect(p.errors[1].message).toContain('"/home/coach/data/x.mp4" is outside the data root');
    expect(p.errors[2].message).toContain('"C:/data/x.mp4" is outside the data root');
    const r = await s.call('labels.applyCsv', { csv, allowUnknown: true });
    expect(r.ok).toBe(false);
    expect(s.store.videoById(id('imported/loose/solo_clip.mp4'))?.label.score).toBeNull();
  });

  it('exports toolkit paths where a video has its own, stored paths where two share one', async () => {
    const { csv } = await s.invoke('labels.exportCsv', {});
    const paths = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    // The last applied file's row first (its order), then the rest by path.
    expect(paths).toEqual([
      'imported/data (2)/exercises_train/squat_001.mp4',
      'exercises_test/plank_001.mp4',
      'exercises_train/lunge_001.mp4',
      'imported/data/exercises_train/squat_001.mp4',
      'imported/loose/solo_clip.mp4',
    ]);
  });
});
