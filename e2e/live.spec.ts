import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppServer, removeHome, type AppServer } from './app-server';
import { launchOptions } from './browser';
import { findFfmpeg } from '../src-main/media/ffmpeg';
import { fixture } from '../test/support/fixtures';
import { docScreenshot } from './support/screenshot';

// Chromium's fake camera plays a real fixture clip (converted to .y4m by ffmpeg in beforeAll: Chromium opens it
// only when the page asks for the camera; at module level it would also run when Playwright loads the file to
// list the tests, leaving a 41 MB file behind each time).
const FIXTURE = fixture('videos', 'tfjs_pose_squats.mp4');
const y4mDir = join(tmpdir(), `fs-cam-${process.pid}`);
const Y4M = join(y4mDir, 'clip.y4m');
function makeY4m() {
  mkdirSync(y4mDir, { recursive: true });
  execFileSync(findFfmpeg().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-i',
    FIXTURE,
    '-t',
    '8',
    '-vf',
    'scale=360:640,fps=15',
    '-pix_fmt',
    'yuv420p',
    Y4M,
  ]);
}

test.use({
  launchOptions: launchOptions([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${Y4M}`,
  ]),
});

let server: AppServer;
test.beforeAll(async () => {
  makeY4m();
  server = await startAppServer();
});
test.afterAll(async () => {
  await server.stop();
  removeHome(server.home);
  rmSync(y4mDir, { recursive: true, force: true });
});

test('live view: fake camera → skeleton drawn, FPS > 0, q stops; nothing leaves 127.0.0.1', async ({ page }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol))
      foreign.push(r.url());
  });
  await page.goto(server.url);
  await page.getByTestId('nav-live').click();
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('live-person')).toContainText('person', { timeout: 60_000 });
  await expect(page.getByTestId('live-person')).not.toContainText('no person');
  // Pose runs in the pose workers, so the page only draws.
  await expect(page.getByTestId('live-backend')).toContainText(/workers? · /);
  await expect
    .poll(async () => Number((await page.getByTestId('live-fps').textContent())!.split(' ')[0]), { timeout: 20_000 })
    .toBeGreaterThan(0);
  // The overlay canvas has skeleton pixels on it.
  const painted = await page.getByTestId('live-overlay').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(200);
  await docScreenshot(page, 'live');
  await page.keyboard.press('q');
  await expect(page.getByTestId('live-empty')).toContainText('Stopped');
  const tracksLive = await page
    .getByTestId('live-video')
    .evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.getTracks().length ?? 0);
  expect(tracksLive).toBe(0);
  expect(foreign).toEqual([]);
  // A saved set shows in the panel with its snapshot.
  const saved = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 40;
    const jpeg = c.toDataURL('image/jpeg').split(',')[1];
    const body = {
      source: 'camera 0',
      exerciseType: 'squat',
      modelId: null,
      reps: [
        {
          index: 0,
          score: 82,
          startSec: 1,
          endSec: 2.5,
          cue: { id: 'squat.depth', text: 'Go deeper: hips down to knee level', severity: 0.4, source: 'rule' },
        },
      ],
      holdSec: null,
      snapshotJpegBase64: jpeg,
    };
    const r = await fetch('/api/call/sessions.save', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await r.json()).ok as boolean;
  });
  expect(saved).toBe(true);
  await page.getByTestId('nav-library').click();
  await page.getByTestId('nav-live').click();
  await expect(page.getByTestId('recent-sets')).toContainText('Squat · 1 rep');
  await expect(page.getByTestId('recent-set-cue')).toContainText('Top cue: Go deeper: hips down to knee level (1×)');
  await expect(page.getByTestId('recent-sets').locator('img')).toHaveJSProperty('complete', true);
});

test('live view with a model: score shown with the color of its band; models view exports and checks', async ({
  page,
}) => {
  test.setTimeout(300_000);
  execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-model.ts', server.home, '5']);
  await page.goto(server.url);
  await page.getByTestId('nav-live').click();
  await page.getByTestId('live-start').click();
  await expect(page.getByTestId('live-model')).toContainText('seeded', { timeout: 60_000 });
  const score = page.getByTestId('live-score');
  await expect(score).not.toHaveAttribute('data-color', '', { timeout: 60_000 });
  // The score keeps updating: read value, color and class in one snapshot.
  const snap = await score.evaluate((el) => ({
    text: el.textContent ?? '',
    color: el.getAttribute('data-color'),
    cls: el.className,
  }));
  const value = Number(snap.text.split('/')[0]);
  expect(snap.color).toBe(value >= 70 ? 'green' : value >= 50 ? 'orange' : 'red');
  expect(snap.cls).toContain(`score-${snap.color}`);
  await expect(page.getByTestId('live-exercise')).not.toHaveText('—');
  await docScreenshot(page, 'live-scoring');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('live-empty')).toContainText('Stopped');

  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('models-table')).toContainText('seeded 5');
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('check-builtin')).toHaveText('yes', { timeout: 90_000 });
  await expect(page.getByTestId('check-diff')).toContainText('max 0.00');
  await docScreenshot(page, 'models');
});

test('score a video file: score with its band, exercise, confidence, skeleton and a rep timeline', async ({ page }) => {
  test.setTimeout(300_000);
  execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-model.ts', server.home, '6']);
  await page.goto(server.url);
  const jobId = await page.evaluate(
    async (p) => {
      const r = await fetch('/api/call/videos.import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ paths: [p] }),
      });
      return (await r.json()).value.jobId as string;
    },
    fixture('videos', 'tfjs_pose_squats.mp4'),
  );
  await expect
    .poll(
      async () =>
        page.evaluate(async (id) => {
          const r = await fetch('/api/call/jobs.list', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          return ((await r.json()).value as Array<{ id: string; state: string }>).find((j) => j.id === id)?.state;
        }, jobId),
      { timeout: 60_000 },
    )
    .toBe('done');
  // labelled squat, so the squat cues apply (by eye both bottoms stop above parallel: e2e/cues-by-eye.md)
  await page.evaluate(async () => {
    const call = async (name: string, body: unknown) =>
      (await (
        await fetch(`/api/call/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as { value: unknown };
    const rows = (await call('videos.list', {})).value as Array<{ id: number }>;
    await call('labels.edit', { edits: rows.map((r) => ({ videoId: r.id, exerciseType: 'squat' })) });
  });
  await page.reload();
  await page.getByTestId('nav-live').click();
  await page.getByTestId('mode-file').click();
  await page.getByTestId('score-video-run').click();
  const score = page.getByTestId('file-score');
  await expect(score).not.toHaveAttribute('data-color', '', { timeout: 180_000 });
  const value = Number((await score.textContent())!.split('/')[0]);
  expect(value).toBeGreaterThanOrEqual(0);
  expect(value).toBeLessThanOrEqual(100);
  await expect(page.getByTestId('file-exercise')).not.toHaveText('—');
  // The clip has 2 squats (counted by eye, see e2e/reps-counts.md).
  await expect(page.getByTestId('rep-timeline').locator('.rep')).toHaveCount(2, { timeout: 120_000 });
  // one form cue per rep, and the set's top cues with counts
  await expect(page.getByTestId('rep-form-cue')).toHaveCount(2);
  await expect(page.getByTestId('rep-form-cue').first()).toHaveAttribute('data-cue', 'squat.depth');
  await expect(page.getByTestId('cue-summary')).toContainText('Go deeper: hips down to knee level — 2 of 2 reps');
  // the coach switches that cue off: saved in the project through the API
  await page.getByTestId('score-video').getByTestId('cue-settings-section').locator('summary').click();
  await page
    .getByTestId('score-video')
    .getByRole('checkbox', { name: 'Go deeper: hips down to knee level: on' })
    .uncheck();
  await expect(page.getByTestId('score-video').getByTestId('cue-settings-saved')).toBeVisible();
  const saved = await page.evaluate(
    async () =>
      (
        await (
          await fetch('/api/call/cues.getSettings', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()
      ).value,
  );
  expect(saved).toEqual({ settings: { disabled: ['squat.depth'] } });
  await page.waitForTimeout(1500);
  await docScreenshot(page, 'score-video');
  await page.getByTestId('score-video').getByTestId('cue-settings').scrollIntoViewIfNeeded();
  await docScreenshot(page, 'score-video-cues');
});

test('learned cues: train from a landmark CSV in the cue settings, see the confusion matrix, switch it off', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto(server.url);
  await page.getByTestId('nav-live').click();
  const section = page.getByTestId('cue-settings-section').first();
  await section.locator('summary').click();
  await section.getByLabel('Exercise for cue settings').selectOption('dumbbell_curl');
  const panel = section.getByTestId('learned-cue-panel');
  await expect(panel).toContainText('None for this exercise');
  await panel
    .getByTestId('learned-csv-file')
    .setInputFiles(fixture('quality', 'exercise_correction', 'bicep', 'test.csv'));
  await panel.getByTestId('learned-csv-read').click();
  const preview = panel.getByTestId('learned-csv-preview');
  await expect(preview).toContainText('L (');
  await preview.getByPlaceholder('correct form (no cue)').nth(1).fill("Don't lean back");
  await panel.getByTestId('learned-train').click();
  // a job: progress and Cancel while it trains, then the stored model with its metrics
  await expect(panel.getByTestId('learned-train-cancel')).toBeVisible();
  await expect(panel.getByTestId('learned-metrics')).toContainText('Held-out accuracy', { timeout: 180_000 });
  await expect(panel.getByTestId('learned-training-ended')).toContainText('Saved the dumbbell_curl cue model');
  await expect(panel.locator('table.confusion td.diag')).toHaveCount(2);
  const call = (name: string) =>
    page.evaluate(
      async (n) =>
        (
          await (
            await fetch(`/api/call/${n}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
            })
          ).json()
        ).value,
      name,
    );
  const { models } = (await call('cues.listLearned')) as { models: Array<{ exercise: string; cueText: unknown[] }> };
  expect(models.map((m) => [m.exercise, m.cueText])).toEqual([['dumbbell_curl', [null, "Don't lean back"]]]);
  await panel.getByRole('checkbox', { name: 'Learned dumbbell_curl (unnamed) cues: on' }).uncheck();
  await expect(section.getByTestId('cue-settings-saved')).toBeVisible();
  // Another test in this project may have switched a rule cue off: check only this switch.
  expect((await call('cues.getSettings')).settings.disabled).toContain('learned.dumbbell_curl');
  // a second, named model for the same exercise: started, then cancelled — nothing saved
  await panel.getByTestId('learned-model-name').fill('elbow');
  await panel.getByTestId('learned-train').click();
  await panel.getByTestId('learned-train-cancel').click();
  await expect(panel.getByTestId('learned-training-ended')).toContainText('Training cancelled: nothing saved', {
    timeout: 60_000,
  });
  expect(((await call('cues.listLearned')) as { models: unknown[] }).models).toHaveLength(1);
  // trained to the end: listed beside the first, with its own switch
  await panel.getByTestId('learned-train').click();
  await expect(panel.getByTestId('learned-model')).toHaveCount(2, { timeout: 180_000 });
  await expect(panel.getByRole('checkbox', { name: "Learned dumbbell_curl 'elbow' cues: on" })).toBeChecked();
  await panel.locator('[data-model="learned.dumbbell_curl@elbow"]').getByRole('button', { name: 'Delete' }).click();
  await expect(panel.getByTestId('learned-model')).toHaveCount(1);
  // the same CSV for a plank: refused with what is missing, the curl model untouched
  await section.getByLabel('Exercise for cue settings').selectOption('plank');
  await panel
    .getByTestId('learned-csv-file')
    .setInputFiles(fixture('quality', 'exercise_correction', 'bicep', 'test.csv'));
  await panel.getByTestId('learned-csv-read').click();
  await preview.getByPlaceholder('correct form (no cue)').nth(1).fill('Hips too low');
  await panel.getByTestId('learned-train').click();
  await expect(panel.getByTestId('learned-problems')).toContainText('missing landmark columns for plank: left_ankle_x');
  expect(((await call('cues.listLearned')) as { models: unknown[] }).models).toHaveLength(1);
});
