import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppServer, removeHome, apiCall, type AppServer } from './app-server';
import { seedTrainingHome } from '../test/training/seed';
import type { RunSummary } from '../src-shared/api/training-contract';
import { docScreenshot } from './support/screenshot';
import { mainThreadTasks, describeTasks, TRACE_CATEGORIES } from './support/main-thread-tasks';

// A home seeded with labeled clips and keypoints (no media needed): train the standard model in the real app.
let server: AppServer;
test.beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'fs-e2e-train-'));
  seedTrainingHome(home, 16);
  server = await startAppServer({ home });
});
test.afterAll(async () => {
  await server.stop();
  removeHome(server.home);
});

/** The Training view on the seeded home (16 usable clips); returns the page errors seen from now on. */
async function openTraining(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByTestId('nav-training').click();
  await expect(page.getByTestId('training-usable')).toHaveText('16');
  return errors;
}

const epochOf = async (page: Page) =>
  Number(/Epoch (\d+)/.exec((await page.getByTestId('training-epoch').textContent()) ?? '')?.[1] ?? -1);

test('train the standard model live: backend, charts grow per epoch, Stop keeps the best model, resume offered', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const errors = await openTraining(page);
  await expect(page.getByTestId('training-data')).toContainText('Squat, Lunge');

  // Small data is said out loud before training: 16 clips give a validation set under 10.
  await expect(page.getByTestId('warning-small-val')).toContainText('fewer than 10');
  // The longest main-thread task during the run (Long Tasks API), from here on; the long animation frames'
  // scripts say what ran in the slow ones (printed below).
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __frames: string[] };
    w.__longest = 0;
    w.__frames = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => (w.__longest = Math.max(w.__longest, e.duration))),
    ).observe({ type: 'longtask', buffered: false });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        const f = e as PerformanceEntry & { scripts?: Array<{ invoker: string; duration: number }> };
        const top = (f.scripts ?? []).map((x) => `${x.invoker} ${x.duration.toFixed(0)} ms`).join(', ');
        if (e.duration > 150) w.__frames.push(`${e.duration.toFixed(0)} ms frame: ${top || 'no script'}`);
      }),
    ).observe({ type: 'long-animation-frame', buffered: false });
  });
  // TRAINING_CPU_PROFILE=file.cpuprofile records the page's CPU profile from Start to Stopped (what the long tasks ran).
  const profilePath = process.env.TRAINING_CPU_PROFILE;
  const cdp = profilePath ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  // A trace of the page's main thread gives each task's CPU time too (the wall time above is stretched by load).
  // TRAINING_TRACE=file.json keeps the trace, with what ran inside each task (devtools.timeline, v8).
  const tracePath = process.env.TRAINING_TRACE;
  const categories = tracePath ? [...TRACE_CATEGORIES, 'devtools.timeline', 'v8'] : TRACE_CATEGORIES;
  if (!cdp) await browser.startTracing(page, { categories });
  await page.getByTestId('opt-model').selectOption('standard');
  await page.getByTestId('opt-epochs').fill('40');
  await page.getByTestId('opt-batch').fill('4');
  await page.getByTestId('opt-patience').fill('40');
  await page.getByTestId('training-start').click();

  // Headless Chromium here: no WebGPU adapter and a SwiftShader WebGL → WASM.
  await expect(page.getByTestId('training-backend')).toHaveText(/WASM|CPU|WEBGL|WEBGPU/, { timeout: 60_000 });
  const backend = (await page.getByTestId('training-backend').textContent())!;
  await expect.poll(() => epochOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  const first = await epochOf(page);
  await expect.poll(() => epochOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(first + 2);
  // Charts draw lines (train + validation + smoothed per batch) and mark the best epoch.
  const paths = await page.getByTestId('chart-loss').locator('path.recharts-curve').count();
  expect(paths).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('chart-mae').locator('.recharts-reference-line')).toHaveCount(1);
  const sps = Number(((await page.getByTestId('training-sps').textContent()) ?? '').split(' ')[0]);
  expect(sps).toBeGreaterThan(0);
  console.log(`[training e2e] backend ${backend}, ${sps.toFixed(1)} samples/s (standard, batch 4)`);
  // The UI stays responsive while the worker trains.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - t0).toBeLessThan(1000);
  await docScreenshot(page, 'training');
  // Training is a job in the status bar like the others: its epoch, progress and a Stop.
  await expect(page.getByTestId('training-job')).toContainText(/Training run \d+ · epoch \d+\/\d+/);
  await expect(page.getByTestId('training-job').getByRole('button', { name: 'Stop' })).toBeEnabled();
  await expect(page.getByTestId('statusbar')).not.toContainText('No running jobs');

  await page.evaluate(() => performance.mark('e2e:stop'));
  await page.getByTestId('training-stop').click();
  await expect(page.getByTestId('training-status')).toContainText('Stopped', { timeout: 120_000 });
  await expect(page.getByTestId('training-start')).toBeVisible();
  // The end of a run counts too: the run's detail loads and its evaluation panels mount after "Stopped".
  await expect(page.getByTestId('training-evaluation')).toBeVisible();
  await expect(page.getByTestId('confusion')).toBeVisible();
  await page.waitForTimeout(1000);
  if (cdp) writeFileSync(profilePath!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  // Measured before the PNG checks below (decoding the PNG in the page is itself a long task).
  const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  const frames = await page.evaluate(() => (window as unknown as { __frames: string[] }).__frames);
  if (!cdp) await page.evaluate(() => performance.mark('e2e:end'));
  const trace = cdp ? null : await browser.stopTracing();
  if (trace && tracePath) writeFileSync(tracePath, trace);
  const tasks = trace ? mainThreadTasks(trace, 'e2e:stop', 'e2e:end') : null;
  const load = loadavg()[0].toFixed(1);
  console.log(
    `[training e2e] longest main-thread task from Start to the evaluation shown: ${longest.toFixed(0)} ms (Long Tasks API, wall), load ${load}`,
  );
  if (tasks) {
    console.log(`[training e2e] trace, most CPU per task while training: ${describeTasks(tasks.before)}`);
    console.log(
      `[training e2e] trace, most CPU per task from Stop (${((tasks.markAt ?? 0) / 1000).toFixed(1)} s) to the evaluation shown (${((tasks.endAt ?? 0) / 1000).toFixed(1)} s): ${describeTasks(tasks.after)}`,
    );
    console.log(
      `[training e2e] trace, longest task: ${describeTasks([tasks.longestWall], 1)} (Long Tasks API: ${longest.toFixed(0)} ms)`,
    );
  }
  console.log(`[training e2e] frames over 150 ms:\n  ${frames.join('\n  ')}`);
  // The goal is < 200 ms. A task's wall time on this shared 2-core box is its CPU time stretched by waiting for a
  // core: at load 15–28 tasks that used 2–71 ms of CPU took 0.85–1.9 s of wall time. So the goal is checked on the
  // CPU time the page's code costs (the trace must have it: a trace without thread times would pass anything). The
  // wall time is held to 400 ms when the machine is quiet (load < 3; 245 ms was measured at load 1.9 before the
  // charts were fixed), else only to 3 s.
  if (tasks) {
    expect(tasks.longestCpu.cpuMs).toBeGreaterThan(0);
    expect(tasks.longestCpu.cpuMs).toBeLessThan(200);
  }
  expect(longest).toBeLessThan(loadavg()[0] < 3 ? 400 : 3000);
  await expect(page.getByTestId('training-job')).toHaveCount(0);

  const runs = await apiCall<RunSummary[]>(page, 'runs.list');
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'cancelled', modelKind: 'standard', backend: backend.toLowerCase() });
  // One model per run by default: the best, named with its validation MAE.
  expect(runs[0].models.map((m) => m.role)).toEqual(['best']);
  expect(runs[0].models[0].name).toMatch(new RegExp(`^run ${runs[0].id} · standard · val MAE \\d+\\.\\d$`));
  expect(runs[0].bestValMae).toBeGreaterThan(0);
  expect(existsSync(join(server.home, 'models', `${runs[0].models[0].id}.fsmodel`))).toBe(true);
  // Predictions fill the Library's predicted column.
  const rows = await apiCall<Array<{ prediction: { score: number } | null }>>(page, 'videos.list');
  expect(rows.filter((r) => r.prediction).length).toBeGreaterThanOrEqual(16);
  // The run in the list.
  await expect(page.getByTestId(`run-row-${runs[0].id}`)).toContainText('cancelled');
  // A stopped run with a checkpoint can be resumed.
  if (runs[0].resumable) await expect(page.getByTestId('training-resume')).toHaveText(`Resume run ${runs[0].id}`);

  // Export charts → a PNG download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('training-export').click()]);
  expect(download.suggestedFilename()).toBe('training_history.png');
  const file = join(mkdtempSync(join(tmpdir(), 'fs-dl-')), 'h.png');
  await download.saveAs(file);
  expect([...readFileSync(file).subarray(0, 4)]).toEqual([137, 80, 78, 71]);
  // The charts as on screen at 2×: five panels in two columns, and mostly not blank.
  const png = readFileSync(file);
  const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect(pw).toBeGreaterThan(1200);
  expect(ph).toBeGreaterThan(1200);
  const ink = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let differ = 0;
    const colors = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 30) differ++;
      colors.add((d[i] >> 4) * 256 + (d[i + 1] >> 4) * 16 + (d[i + 2] >> 4));
    }
    return { share: differ / (d.length / 4), colors: colors.size };
  }, png.toString('base64'));
  console.log(
    `[training e2e] training_history.png ${pw}×${ph}, ${(ink.share * 100).toFixed(1)} % drawn, ${ink.colors} colors`,
  );
  expect(ink.share).toBeGreaterThan(0.02);
  expect(ink.colors).toBeGreaterThan(8);

  // Evaluate the best model on the test split: headline, baselines, click a row to preview.
  await page.getByTestId('eval-run').click();
  await expect(page.getByTestId('eval-headline')).toContainText(/The model/, { timeout: 60_000 });
  await expect(page.getByTestId('eval-method-train-mean')).toContainText('Baseline: training mean');
  await page.getByTestId('eval-rows').locator('tbody tr').first().click();
  await expect(page.getByTestId('eval-preview')).not.toContainText('Click a video');

  await docScreenshot(page, 'training-done', { fullPage: true });
  expect(errors).toEqual([]);
});

test('k-fold cross-validation: fold curves while training, then mean ± sd per fold and one final model', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = await openTraining(page);
  await page.getByTestId('opt-model').selectOption('standard');
  await page.getByTestId('opt-epochs').fill('2');
  await page.getByTestId('opt-batch').fill('4');
  await page.getByTestId('opt-kfold').check();
  await expect(page.getByTestId('opt-kfold-k')).toHaveValue('5'); // the default
  await page.getByTestId('opt-kfold-k').fill('2');
  await page.getByTestId('training-start').click();
  await expect(page.getByTestId('training-fold')).toContainText(/fold [12] of 2/, { timeout: 120_000 });
  await expect(page.getByTestId('training-status')).toContainText('Finished', { timeout: 240_000 });
  await expect(page.getByTestId('cv-panel')).toContainText('2-fold cross-validation: MAE');
  await expect(page.getByTestId('cv-mae')).toHaveText(/^\d+\.\d\d ± \d+\.\d\d$/);
  await expect(page.getByTestId('cv-folds').locator('tbody tr')).toHaveCount(3); // two folds + mean ± sd
  // The fold curves are drawn on the MAE chart, over the final model's training curve.
  await expect(page.getByTestId('chart-mae').locator('.recharts-legend-item')).toContainText([
    'fold 1 held out',
    'fold 2 held out',
    'train',
  ]);
  const runs = await apiCall<RunSummary[]>(page, 'runs.list');
  const run = runs.find((r) => r.settings.kFold === 2)!;
  expect(run.models.map((m) => m.role)).toEqual(['best']);
  expect(run.dataSummary).toEqual({ train: 16, val: 0 });
  await expect(page.getByTestId('training-evaluation')).toContainText(
    'out-of-fold predictions of its 2 fold models (16 clips)',
  );
  expect(errors).toEqual([]);
});
