/**
 * The toolkit's data folder in the app (issue #15): importing data/ offers its exercise_scores.csv (preview,
 * a file-name match reported, an unknown path listed); confirming applies the matched rows and skips the rest.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startAppServer, removeHome, apiCall, type AppServer } from './app-server';
import { makeClip } from '../test/support/user-files';

let server: AppServer;
const tmp = mkdtempSync(join(tmpdir(), 'fs-tk-e2e-'));
const data = join(tmp, 'data');

test.beforeAll(async () => {
  await makeClip(join(data, 'exercises_train', 'squat_001.mp4'), { title: 'squat1' });
  await makeClip(join(data, 'exercises_test', 'lunge_001.mp4'), { title: 'lunge1' });
  writeFileSync(
    join(data, 'exercise_scores.csv'),
    'relative_path,exercise_type,score\r\nexercises_train/squat_001.mp4,squat,85\r\nlunge_001.mp4,lunge,64\r\nexercises_train/gone.mp4,squat,10\r\n',
  );
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
  if (server) removeHome(server.home);
  rmSync(tmp, { recursive: true, force: true });
});

test('importing the toolkit folder offers its labels; applying skips the listed unknown path', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.url);
  await page.getByTestId('import-path').fill(data);
  await page.getByTestId('import-path').press('Enter');
  const dialog = page.getByTestId('csv-dialog');
  await expect(dialog).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('csv-found-path')).toHaveText(join(data, 'exercise_scores.csv'));
  await expect(page.getByTestId('count-updated')).toHaveText('2'); // types were guessed at import: scores are the change
  await expect(page.getByTestId('count-unknown')).toHaveText('1');
  const changes = page.getByTestId('csv-changes');
  await expect(changes).toContainText('matched by file name only: imported/data/exercises_test/lunge_001.mp4');
  await expect(changes).toContainText('unknown path (skipped)');
  await expect(page.getByTestId('csv-apply')).toHaveText('Apply 2 changes, skip 1 unmatched');
  await page.getByTestId('csv-apply').click();
  await expect(dialog).toBeHidden();
  const rows = await apiCall<Array<{ toolkitPath: string | null; split: string; label: { score: number | null } }>>(
    page,
    'videos.list',
  );
  expect(rows.map((r) => [r.toolkitPath, r.split, r.label.score])).toEqual([
    ['exercises_test/lunge_001.mp4', 'test', 64],
    ['exercises_train/squat_001.mp4', 'train', 85],
  ]);
});
