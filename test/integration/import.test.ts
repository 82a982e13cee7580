import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { fixture } from '../support/fixtures';
import type { JobInfo } from '../../src-shared/domain/jobs';

const FIXTURES = fixture('videos');
const tmp = mkdtempSync(join(tmpdir(), 'fs-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function waitJob(s: Services, jobId: string): Promise<JobInfo> {
  for (;;) {
    const job = (await s.invoke('jobs.list', {})).find((j) => j.id === jobId)!;
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('import job (real ffmpeg, real files)', () => {
  it('imports a toolkit-shaped folder: splits, exercise guess, errors per video, duplicates, thumbnails, media served', async () => {
    const src = join(tmp, 'data');
    mkdirSync(join(src, 'exercises_train'), { recursive: true });
    mkdirSync(join(src, 'exercises_test'), { recursive: true });
    copyFileSync(join(FIXTURES, 'tfjs_pose_squats.mp4'), join(src, 'exercises_train', 'squat_001.mp4'));
    copyFileSync(join(FIXTURES, 'tfjs_pose_squats.mp4'), join(src, 'exercises_train', 'squat_002_same_content.MP4'));
    writeFileSync(join(src, 'exercises_train', 'pushup_broken.mp4'), 'this is not a video');
    writeFileSync(join(src, 'exercises_train', 'empty.mov'), '');
    writeFileSync(join(src, 'notes.txt'), 'ignored');

    const s = new Services({ home: join(tmp, 'home'), mode: 'browser' });
    const { jobId } = await s.invoke('videos.import', { paths: [src] });
    const job = await waitJob(s, jobId);
    expect(job.state).toBe('done');
    expect(job.message).toContain('Imported 1 video');
    expect(job.message).toContain('2 failed');
    expect(job.message).toContain('1 duplicate');

    const rows = await s.invoke('videos.list', {});
    const squat = rows.find((r) => r.relPath.endsWith('exercises_train/squat_001.mp4'))!;
    expect(squat).toBeDefined();
    expect(squat.relPath.startsWith('imported/data/')).toBe(true);
    expect(squat).toMatchObject({ split: 'train', status: 'ok', width: 720, height: 1280 });
    expect(squat.durationSec).toBeGreaterThan(10);
    expect(squat.label.exerciseType).toBe('squat');
    expect(squat.label.score).toBeNull();
    const broken = rows.find((r) => r.relPath.endsWith('pushup_broken.mp4'))!;
    expect(broken.status).toBe('error');
    expect(broken.errorMessage).toContain('pushup_broken.mp4');
    expect(rows.find((r) => r.relPath.endsWith('empty.mov'))?.errorCode).toBe('empty');
    // The bytes live in the project's content-addressed store (the path is metadata) and are served with Range.
    expect(squat.storageKey).toMatch(/^store\/[0-9a-f]{2}\/[0-9a-f]{64}\.mp4$/);
    expect(existsSync(join(s.store.mediaRoot, squat.storageKey!))).toBe(true);
    expect(existsSync(join(s.store.mediaRoot, squat.relPath))).toBe(false);
    expect(squat.toolkitPath).toBe('exercises_train/squat_001.mp4');
    expect(squat.originalPath).toBe(join(src, 'exercises_train', 'squat_001.mp4'));
    const res = s.media(`video/${squat.id}`, 'bytes=0-99');
    expect(res.status).toBe(206);
    expect((await res.arrayBuffer()).byteLength).toBe(100);
    expect(s.media(`thumb/${squat.id}`, null).status).toBe(200);

    // Importing the same folder again adds nothing and keeps labels.
    await s.invoke('labels.edit', { edits: [{ videoId: squat.id, score: 77 }] });
    const again = await waitJob(s, (await s.invoke('videos.import', { paths: [src] })).jobId);
    expect(again.state).toBe('done');
    expect((await s.invoke('videos.list', {})).find((r) => r.id === squat.id)?.label.score).toBe(77);

    // Frames for pose: N evenly spaced, cached by content.
    const prepared = await s.invoke('keypoints.prepare', { videoId: squat.id, numFrames: 8 });
    expect(prepared.frameUrls).toHaveLength(8);
    expect(prepared.timestamps.every((t, i, a) => i === 0 || t > a[i - 1])).toBe(true);
    expect(s.media(prepared.frameUrls[0].slice('/media/'.length), null).status).toBe(200);

    const missing = await s.invoke('videos.import', { paths: [join(tmp, 'nope')] });
    const failedJob = await waitJob(s, missing.jobId);
    expect(failedJob.state).toBe('failed');
    expect(failedJob.message).toContain('not found');
    s.close();
  });
});
