import { test, expect } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiReply } from './app-server';
import { appServerForFile } from './support/app';
import { fixture } from '../test/support/fixtures';
import { docScreenshot } from './support/screenshot';

// The data path end to end in the real app: import real clips (one corrupt), label, extract keypoints with
// MediaPipe in the page, and see what training can use. Nothing may leave 127.0.0.1.
const server = appServerForFile();

test('import → label → extract keypoints in the app → training data ready', async ({ page }) => {
  test.setTimeout(300_000);
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol))
      foreign.push(r.url());
  });
  const src = mkdtempSync(join(tmpdir(), 'fs-pipeline-'));
  mkdirSync(join(src, 'exercises_train'));
  copyFileSync(fixture('videos', 'tfjs_pose_squats.mp4'), join(src, 'exercises_train', 'squat_a.mp4'));
  copyFileSync(fixture('videos', 'gymnai_push_up.mp4'), join(src, 'exercises_train', 'pushup_b.mp4'));
  copyFileSync(fixture('videos', 'gymnai_squat.mp4'), join(src, 'exercises_train', 'squat_c.mp4'));
  writeFileSync(join(src, 'exercises_train', 'squat_corrupt.mp4'), Buffer.alloc(4096, 1));

  await page.goto(server().url);
  await page.getByPlaceholder(/Folder or video file to import/).fill(src);
  await page.getByRole('button', { name: 'Import videos' }).click();
  await expect(page.getByTestId('status-counts')).toContainText('4 videos', { timeout: 120_000 });

  const rows = (await apiReply(page, 'videos.list', {})).value as Array<{
    id: number;
    relPath: string;
    status: string;
    label: { exerciseType: string | null };
  }>;
  expect(rows.find((r) => r.relPath.endsWith('squat_corrupt.mp4'))?.status).toBe('error');
  const good = rows.filter((r) => r.status === 'ok');
  expect(good.map((r) => r.label.exerciseType).sort()).toEqual(['pushup', 'squat', 'squat']);
  const edit = await apiReply(page, 'labels.edit', {
    edits: good.map((r, i) => ({ videoId: r.id, score: 60 + i * 10 })),
  });
  expect(edit.ok).toBe(true);

  await page.getByTestId('nav-training').click();
  const extract = page.getByTestId('training-extract');
  await expect(extract).toContainText('3 videos', { timeout: 30_000 });
  await extract.click();
  await expect(page.getByTestId('training-data')).toContainText('3 labeled clips with keypoints', { timeout: 240_000 });
  await expect(page.getByTestId('extraction-summary')).toContainText('3 ok');
  // The model ran in the pose workers, off the page's thread (not the on-page fallback).
  await expect(page.getByTestId('extraction-summary')).toContainText(/CPU × \d workers?/);
  await docScreenshot(page, 'training-ready');
  // Cached by content: nothing is pending any more.
  expect(((await apiReply(page, 'keypoints.pending', {})).value as number[]).length).toBe(0);
  expect(foreign).toEqual([]);
});

test('cancelling extraction stops the pose workers mid-job; the next run finishes every clip', async ({ page }) => {
  test.setTimeout(300_000);
  const src = mkdtempSync(join(tmpdir(), 'fs-pipeline-cancel-'));
  for (const [i, f] of ['tfjs_pose_squats.mp4', 'gymnai_push_up.mp4', 'gymnai_squat.mp4'].entries())
    copyFileSync(fixture('videos', f), join(src, `clip${i}.mp4`));
  await page.goto(`${server().url}#/headless`);
  await page.waitForFunction(() => !!window.formStudioHeadless);
  await apiReply(page, 'videos.import', { paths: [src] }); // duplicates of the first test's clips are skipped
  await expect
    .poll(
      async () =>
        ((await apiReply(page, 'jobs.list', {})).value as Array<{ state: string }>).filter((j) => j.state === 'running')
          .length,
      { timeout: 120_000 },
    )
    .toBe(0);
  const ids = ((await apiReply(page, 'videos.list', {})).value as Array<{ id: number; status: string }>)
    .filter((r) => r.status === 'ok')
    .map((r) => r.id);
  expect(ids).toHaveLength(3);

  const { cancelled, again } = await page.evaluate(async (videoIds) => {
    const h = window.formStudioHeadless!;
    // Six clips, so several are queued on the workers when the cancel comes.
    const run = h.extract([...videoIds, ...videoIds], { variant: 'lite' });
    while ((h.progress['']?.done ?? 0) < 1) await new Promise((r) => setTimeout(r, 10));
    h.cancel();
    const cancelled = await run;
    const again = await h.extract(videoIds, { variant: 'lite' });
    return { cancelled, again };
  }, ids);
  expect(cancelled.done).toBeGreaterThanOrEqual(1);
  expect(cancelled.done).toBeLessThan(6);
  expect(cancelled.failed).toBe(0); // a cancelled clip is not recorded as an error
  // The workers dropped the cancelled clips: the next job gets its own results, every clip ok.
  expect(again).toMatchObject({ done: 3, ok: 3, failed: 0, noPose: 0 });
  expect(again.delegate).toMatch(/CPU × \d workers?/);
});
