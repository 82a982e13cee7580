import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/browser';

// End-to-end tests drive the real app (browser mode) in the Chromium the app's discovery finds (installed, or the
// one shipped in @sparticuz/chromium); no Playwright browser download.
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  // Two spec files at a time: run one by one, the suite used ≈8 CPU-min in 21.5 min (under 1 of the 2 cores);
  // much of it waits on the page (the Library's typing, reloads) or on one CLI process. Same machine and load
  // (≈10), 2 workers: 14.9 min, all 52 passed. Files stay whole on one worker (library.spec is serial), each has
  // its own app server, home and port, and the CPU-bound ones (pose, training) have timeouts for a loaded box.
  workers: 2,
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
