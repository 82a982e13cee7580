import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/browser';

// End-to-end tests drive the real app (browser mode) in the Chromium the app's discovery finds (installed, or the
// one shipped in @sparticuz/chromium); no Playwright browser download.
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  // CI retries a failed spec once against machine noise (a shared 2-core box); a retried pass still prints
  // the failure, so flakiness stays visible. Locally a failure shows at once.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: launchOptions(),
    viewport: { width: 1400, height: 860 },
    screenshot: 'only-on-failure',
  },
});
