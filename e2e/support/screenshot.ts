import type { Page, PageScreenshotOptions } from '@playwright/test';

/**
 * The README's screenshots (docs/screenshots/<name>.png), rewritten only with UPDATE_SCREENSHOTS=1 so an
 * ordinary e2e run leaves the tracked images alone.
 */
export async function docScreenshot(
  page: Page,
  name: string,
  options: Omit<PageScreenshotOptions, 'path'> = {},
): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await page.screenshot({ ...options, path: `docs/screenshots/${name}.png` });
}
