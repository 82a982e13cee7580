/**
 * A new, empty project in browser mode: the status bar says nothing is "up to date" when there is
 * nothing, and toasts keep to a corner: errors one line until dismissed (details on click, long paths
 * wrapped).
 */
import { test, expect } from '@playwright/test';
import { startAppServer, removeHome, type AppServer } from './app-server';
import { docScreenshot } from './support/screenshot';

let server: AppServer;
test.beforeAll(async () => {
  server = await startAppServer();
});
test.afterAll(async () => {
  await server?.stop();
  if (server) removeHome(server.home);
});

test('empty project: honest status bar; toasts in a corner, errors one line with details on click', async ({
  page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 2 });
  await page.goto(server.url);
  await expect(page.getByTestId('library-empty')).toContainText('No videos yet');
  await expect(page.getByTestId('statusbar')).toContainText('No running jobs');
  await page.getByTestId('library-extract').click();
  await expect(page.getByTestId('extraction-summary')).toHaveText('No videos to extract: import videos first');
  await expect(page.getByTestId('statusbar')).not.toContainText('up to date');

  // An import of a folder that does not exist, with a long path: the job fails, an error toast stays.
  const long = `/nonexistent/${'a-very-long-folder-name-for-the-toast/'.repeat(8)}clips`;
  await page.getByTestId('import-path').fill(long);
  await page.getByTestId('import-path').press('Enter');
  const toast = page.getByTestId('toast').filter({ hasText: 'nonexistent' });
  await expect(toast).toBeVisible({ timeout: 60_000 });
  const box = (await toast.boundingBox())!;
  expect(box.height).toBeLessThan(48); // one line
  expect(box.x).toBeLessThan(40); // bottom-left corner, away from the previews on the right
  expect(box.x + box.width).toBeLessThan(700);
  await toast.getByRole('button', { name: /nonexistent/ }).click(); // details
  await expect(toast.getByRole('button', { name: /nonexistent/ })).toHaveAttribute('aria-expanded', 'true');
  const open = (await toast.boundingBox())!;
  expect(open.height).toBeGreaterThan(box.height);
  expect(open.width).toBeLessThanOrEqual(box.width + 1); // the long path wraps, it does not widen the toast
  await docScreenshot(page, 'toasts');
  // Errors stay (info toasts go after 5 s): still there after that, until dismissed.
  await page.waitForTimeout(6000);
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
});
