import { test, expect } from '@playwright/test';
import { appServerForFile } from './support/app';
import { docScreenshot } from './support/screenshot';

const server = appServerForFile();

test('the shell loads and shows the default project in every view', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server().url);
  await expect(page.getByTestId('project-name')).toHaveText('My project');
  await expect(page.getByTestId('status-counts')).toContainText('0 videos');
  await expect(page.getByTestId('library-empty')).toBeVisible();
  await docScreenshot(page, 'library-empty');
  for (const view of ['training', 'live', 'models'] as const) {
    await page.getByTestId(`nav-${view}`).click();
    await expect(page.getByTestId(`${view}-empty`)).toBeVisible();
    await docScreenshot(page, `${view}-empty`);
  }
  // The token went into a cookie and out of the address bar.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  expect(errors).toEqual([]);
});

test('API validates input and answers typed errors', async ({ page }) => {
  await page.goto(server().url);
  const result = await page.evaluate(async () => {
    const r = await fetch('/api/call/labels.edit', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ edits: [{ videoId: 1, score: 140 }] }),
    });
    return { status: r.status, body: await r.json() };
  });
  expect(result.status).toBe(400);
  expect(result.body.ok).toBe(false);
  expect(result.body.error.code).toBe('bad_input');
  expect(result.body.error.message).toContain('between 0 and 100');
  const unknown = await page.evaluate(
    async () =>
      (
        await fetch('/api/call/fs.readAnything', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
  );
  expect(unknown).toBe(404);
});
