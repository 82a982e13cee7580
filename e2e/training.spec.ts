import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppServer, removeHome, apiCall, type AppServer } from './app-server';
import { seedTrainingHome } from '../test/training/seed';
import type { RunSummary } from '../src-shared/api/training-contract';

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


const epochOf = async (page: Page) => Number(/Epoch (\d+)/.exec((await page.getByTestId('training-epoch').textContent()) ?? '')?.[1] ?? -1);

test('train the standard model live: backend, charts grow per epoch, Stop keeps the best model, resume offered', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByTestId('nav-training').click();
  await expect(page.getByTestId('training-usable')).toHaveText('16');
  await expect(page.getByTestId('training-data')).toContainText('Squat, Lunge');

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
  await page.screenshot({ path: 'docs/screenshots/training.png' });
  // Training is a job in the status bar like the others: its epoch, progress and a Stop.
  await expect(page.getByTestId('training-job')).toContainText(/Training run \d+ · epoch \d+\/\d+/);
  await expect(page.getByTestId('training-job').getByRole('button', { name: 'Stop' })).toBeEnabled();
  await expect(page.getByTestId('statusbar')).not.toContainText('No running jobs');

  await page.getByTestId('training-stop').click();
  await expect(page.getByTestId('training-status')).toContainText('Stopped', { timeout: 120_000 });
  await expect(page.getByTestId('training-start')).toBeVisible();
  await expect(page.getByTestId('training-job')).toHaveCount(0);

  const runs = await apiCall<RunSummary[]>(page, 'runs.list');
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'cancelled', modelKind: 'standard', backend: backend.toLowerCase() });
  expect(runs[0].models.map((m) => m.role).sort()).toEqual(['best', 'final']);
  expect(runs[0].models.find((m) => m.role === 'best')!.name).toBe(`standard · run ${runs[0].id} · best`);
  expect(runs[0].bestValMae).toBeGreaterThan(0);
  expect(existsSync(join(server.home, 'models', `${runs[0].models[0].id}.fsmodel`))).toBe(true);
  // Predictions fill the Library's predicted column.
  const rows = await apiCall<Array<{ prediction: { score: number } | null }>>(page, 'videos.list');
  expect(rows.filter((r) => r.prediction).length).toBeGreaterThanOrEqual(16);
  // Evaluation of the best model and the run in the list.
  await expect(page.getByTestId('training-evaluation')).toBeVisible();
  await expect(page.getByTestId('confusion')).toBeVisible();
  await expect(page.getByTestId(`run-row-${runs[0].id}`)).toContainText('cancelled');
  // A stopped run with a checkpoint can be resumed.
  if (runs[0].resumable) await expect(page.getByTestId('training-resume')).toHaveText(`Resume run ${runs[0].id}`);

  // Export charts → a PNG download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('training-export').click()]);
  expect(download.suggestedFilename()).toBe('training_history.png');
  const file = join(mkdtempSync(join(tmpdir(), 'fs-dl-')), 'h.png');
  await download.saveAs(file);
  expect([...readFileSync(file).subarray(0, 4)]).toEqual([137, 80, 78, 71]);

  await page.screenshot({ path: 'docs/screenshots/training-done.png', fullPage: true });
  expect(errors).toEqual([]);
});
