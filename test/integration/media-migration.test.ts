/** Issue #13: a project made by the previous layout (hard links under media/imported/) moves to the content-addressed store. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { schemaVersion } from '../../src-main/store/database';
import { makeLegacyProject } from '../support/legacy-project';
import { importAndWait, makeClip, sha256Of, snapshot } from '../support/user-files';

const tmp = mkdtempSync(join(tmpdir(), 'fs-migrate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('media layout migration', () => {
  it('keeps every row, label, keypoint entry, prediction and model; unlinks the hard links; leaves user files as they were', async () => {
    const root = join(tmp, 'videos');
    const files = [join(root, 'a.mp4'), join(root, 'sub', 'b.mp4')];
    await makeClip(files[0], { pattern: 'testsrc' });
    await makeClip(files[1], { pattern: 'smptebars' });
    const before = files.map(snapshot);
    const home = join(tmp, 'home');
    await makeLegacyProject(home, root, files);
    // The old layout really shares the user's inode: that is what made the overwrite possible.
    expect(statSync(files[0]).nlink).toBe(2);

    const s = new Services({ home, mode: 'browser' });
    expect(schemaVersion(s.db)).toBeGreaterThanOrEqual(4);
    const rows = await s.invoke('videos.list', {});
    expect(rows.map((r) => r.relPath)).toEqual(['imported/videos/a.mp4', 'imported/videos/sub/b.mp4']);
    expect(rows.map((r) => r.label.score)).toEqual([60, 61]);
    expect(rows.every((r) => r.pose.status === 'no_pose' && r.prediction?.score === 50)).toBe(true);
    expect((await s.invoke('models.list', {})).length).toBe(1);
    for (const [i, r] of rows.entries()) {
      expect(sha256Of(join(s.store.mediaRoot, r.storageKey!))).toBe(before[i].sha256);
      expect(existsSync(join(s.store.mediaRoot, r.relPath))).toBe(false);
      expect(s.media(`video/${r.id}`, 'bytes=0-9').status).toBe(206);
    }
    files.forEach((f, i) => expect(snapshot(f)).toEqual(before[i]));
    expect(statSync(files[0]).nlink).toBe(1);

    // Importing another clip.mp4 with the same folder name after migrating never reaches the user's a.mp4.
    const b = join(tmp, 'elsewhere', 'videos', 'a.mp4');
    await makeClip(b, { pattern: 'rgbtestsrc', seconds: 2 });
    await importAndWait(s, [join(tmp, 'elsewhere', 'videos')]);
    files.forEach((f, i) => expect(snapshot(f)).toEqual(before[i]));
    expect((await s.invoke('videos.list', {})).find((r) => r.relPath === 'imported/videos/a.mp4')?.label.score).toBe(
      60,
    );
    s.close();

    // Opening again finds nothing left to migrate and changes nothing.
    const again = new Services({ home, mode: 'browser' });
    expect((await again.invoke('videos.list', {})).length).toBe(3);
    again.close();
  }, 240_000);
});
