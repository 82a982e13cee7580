/**
 * Live loop figures in Chromium on this CPU: drawing FPS, pose FPS, pose ms/frame and score latency
 * (frame window sent → score back) with the lite and full pose models, a fake camera fed by a real clip.
 * Writes bench/results/live.json and prints a table. Targets: ≥30 fps drawing, pose ≥15 fps, score latency < 100 ms.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startAppServer, removeHome } from '../e2e/app-server';
import { launchOptions } from '../e2e/browser';
import { findFfmpeg } from '../src-main/media/ffmpeg';
import { fixture } from '../test/support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'fs-bench-live-'));
const y4m = join(dir, 'clip.y4m');
execFileSync(findFfmpeg().ffmpeg, [
  '-v',
  'error',
  '-y',
  '-i',
  fixture('videos', 'rjsong_squat.mp4'),
  '-t',
  '12',
  '-vf',
  'scale=640:360,fps=30',
  '-pix_fmt',
  'yuv420p',
  y4m,
]);

const rows: Array<Record<string, number | string>> = [];
const load0 = loadavg()[0];
for (const variant of ['lite', 'full'] as const) {
  const server = await startAppServer();
  execFileSync(process.execPath, ['--import', 'tsx', 'test/support/seed-model.ts', server.home, '1']);
  const browser = await chromium.launch(
    launchOptions([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ]),
  );
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.evaluate(async (v) => {
      await fetch('/api/call/project.setSetting', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'pose.variant', value: v }),
      });
    }, variant);
    await page.getByTestId('nav-live').click();
    // Arms side by side on one page: pose in the workers (the app's default), then on the page.
    for (const where of ['workers', 'page'] as const) {
      await page.evaluate((w) => localStorage.setItem('fs.live.workers', w === 'page' ? '0' : ''), where);
      await page.getByTestId('live-start').click();
      await page
        .getByTestId('live-score')
        .and(page.locator('[data-color]:not([data-color=""])'))
        .waitFor({ timeout: 120_000 });
      await page.waitForTimeout(3000); // warm-up
      const samples: Array<{ draw: number; pose: number; poseMs: number; scoreMs: number }> = [];
      for (let i = 0; i < 16; i++) {
        await page.waitForTimeout(500);
        const s = await page.getByTestId('live-fps').evaluate((el) => ({
          draw: Number(el.getAttribute('data-draw-fps')),
          pose: Number(el.getAttribute('data-pose-fps')),
          poseMs: Number(el.getAttribute('data-pose-ms')),
          scoreMs: Number(el.getAttribute('data-score-ms')),
        }));
        samples.push(s);
      }
      const med = (k: keyof (typeof samples)[number]) => {
        const a = samples
          .map((s) => s[k])
          .filter((x) => Number.isFinite(x) && x > 0)
          .sort((x, y) => x - y);
        return a.length ? a[Math.floor(a.length / 2)] : NaN;
      };
      rows.push({
        variant,
        pose: where,
        drawFps: med('draw'),
        poseFps: med('pose'),
        poseMs: med('poseMs'),
        scoreLatencyMs: med('scoreMs'),
      });
      await page.getByTestId('live-stop').click();
    }
  } finally {
    await browser.close();
    await server.stop();
    removeHome(server.home);
  }
}

const result = {
  when: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavgBefore: load0, loadavgAfter: loadavg()[0] },
  camera: '640×360 @30 fps (rjsong_squat.mp4)',
  rows,
  targets: { drawFps: 30, poseFps: 15, scoreLatencyMs: 100 },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/live.json', JSON.stringify(result, null, 2) + '\n');
console.log('\nLive loop (medians over 8 s)');
console.log('variant | pose in  | draw fps | pose fps | pose ms | score latency ms');
for (const r of rows)
  console.log(
    `${String(r.variant).padEnd(7)} | ${String(r.pose).padEnd(8)} | ${Number(r.drawFps).toFixed(1).padStart(8)} | ${Number(r.poseFps).toFixed(1).padStart(8)} | ${Number(r.poseMs).toFixed(1).padStart(7)} | ${Number(r.scoreLatencyMs).toFixed(1).padStart(7)}`,
  );
console.log(
  `(load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs) → bench/results/live.json`,
);
