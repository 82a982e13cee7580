/**
 * Issue #13: nothing a user owns is ever changed. The source's bytes and mtime are checked after import,
 * re-import, score, re-extract, delete and a project move; symlinked sources are stored by their target.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { videoForScoring } from '../../src-main/library/add-for-scoring';
import { importAndWait, makeClip, sha256Of, snapshot } from '../support/user-files';

const tmp = mkdtempSync(join(tmpdir(), 'fs-userfiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function open(home: string): Services {
  const s = new Services({ home, mode: 'browser' });
  return s;
}

describe('user files are read-only to the app', () => {
  it('import, re-import, score, re-extract, delete and project move leave the source as it was', async () => {
    const data = join(tmp, 'data', 'exercises_train', 'squat');
    const src = join(data, 'squat_1.mp4');
    const other = join(tmp, 'other', 'exercises_train', 'squat', 'squat_1.mp4'); // same folder/name, other content
    await makeClip(src, { pattern: 'testsrc' });
    await makeClip(other, { pattern: 'smptebars' });
    const before = { src: snapshot(src), other: snapshot(other) };
    const unchanged = (): void => {
      expect(snapshot(src)).toEqual(before.src);
      expect(snapshot(other)).toEqual(before.other);
    };
    const home = join(tmp, 'home');
    let s = open(home);
    await importAndWait(s, [join(tmp, 'data')]);
    unchanged();
    const [row] = await s.invoke('videos.list', {});
    expect(row).toMatchObject({ split: 'train', toolkitPath: 'exercises_train/squat/squat_1.mp4', originalPath: src });
    const stored = join(s.store.mediaRoot, row.storageKey!);
    // Our own read-only copy: not a hard link to the user's file, named by its content.
    expect(statSync(stored).ino).not.toBe(before.src.ino);
    expect(statSync(stored).mode & 0o222).toBe(0);
    expect(row.storageKey).toContain(sha256Of(src));

    await s.invoke('labels.edit', { edits: [{ videoId: row.id, score: 81 }] });
    expect((await importAndWait(s, [join(tmp, 'data')], 'test')).message).toContain('1 duplicate');
    unchanged();

    // score on a file already in the project: that row, split and label unchanged.
    const same = await videoForScoring(s, src);
    expect(same.id).toBe(row.id);
    expect(same).toMatchObject({ split: 'train', label: { score: 81, exerciseType: 'squat' } });
    // score on new content with the same folder and name: a new test row, the first row untouched.
    const added = await videoForScoring(s, other);
    expect(added.id).not.toBe(row.id);
    expect(added.split).toBe('test');
    expect(added.relPath).not.toBe(row.relPath);
    expect(s.ctx.requireVideo(row.id)).toMatchObject({ split: 'train', relPath: row.relPath, label: { score: 81 } });
    unchanged();

    // re-extract: frames come from the stored copy, cached by content.
    const prepared = await s.invoke('keypoints.prepare', { videoId: row.id, numFrames: 4 });
    expect(prepared.contentHash).toBe(row.contentHash);
    unchanged();

    // delete: the row and (no longer needed) stored copy go; the user's file stays.
    const addedFile = join(s.store.mediaRoot, added.storageKey!);
    expect(existsSync(addedFile)).toBe(true);
    await s.invoke('videos.remove', { videoIds: [added.id] });
    expect(existsSync(addedFile)).toBe(false);
    unchanged();

    // project move: the home folder moves; the project follows and still serves its video.
    s.close();
    const moved = join(tmp, 'moved-home');
    renameSync(home, moved);
    s = open(moved);
    expect(s.store.mediaRoot).toBe(join(moved, 'media'));
    expect(s.media(`video/${row.id}`, 'bytes=0-9').status).toBe(206);
    expect(s.ctx.requireVideo(row.id).label.score).toBe(81);
    unchanged();
    s.close();
  }, 240_000);

  it('symlinked sources (relative and absolute) are resolved and stored by their target', async () => {
    const target = join(tmp, 'real', 'clip.mp4');
    await makeClip(target, { pattern: 'rgbtestsrc' });
    const before = snapshot(target);
    const links = join(tmp, 'links');
    mkdirSync(links, { recursive: true });
    symlinkSync('../real/clip.mp4', join(links, 'relative.mp4'));
    const absTarget = join(tmp, 'real', 'clip2.mp4');
    await makeClip(absTarget, { pattern: 'testsrc2' });
    symlinkSync(absTarget, join(links, 'absolute.mp4'));
    const s = open(join(tmp, 'home-links'));
    const job = await importAndWait(s, [links]);
    expect(job.message).toContain('Imported 2 videos');
    const rows = await s.invoke('videos.list', {});
    expect(rows.every((r) => r.status === 'ok')).toBe(true);
    for (const r of rows) {
      const served = s.media(`video/${r.id}`, null);
      expect(served.status).toBe(200);
      const want = r.relPath.endsWith('relative.mp4') ? sha256Of(target) : sha256Of(absTarget);
      expect(sha256Of(join(s.store.mediaRoot, r.storageKey!))).toBe(want);
    }
    expect(snapshot(target)).toEqual(before);
    s.close();
  }, 240_000);
});
