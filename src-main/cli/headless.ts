/**
 * Run renderer work (pose extraction) from the command line: serve the app on 127.0.0.1, open it in
 * headless Chromium and call the renderer's headless entry points. One implementation, not two.
 */
import type { Services } from '../services';
import { startWebHost } from '../web-host/server';
import { ensureRendererBuilt } from './ensure-built';
import { CliError } from './args';
import { ChromiumMissing, chromiumLaunchOptions, findChromium } from '../chromium/find';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

/** The Chromium to drive (see chromium/find.ts); a CliError with the one line saying what to install. */
function launchOptions(): ReturnType<typeof chromiumLaunchOptions> {
  try {
    return chromiumLaunchOptions(
      [],
      findChromium({ onUnpack: (v) => console.error(`Unpacking the bundled Chromium ${v} (once)…`) }),
    );
  } catch (err) {
    if (err instanceof ChromiumMissing)
      throw new CliError(
        `Pose extraction from the command line needs Chromium. ${err.message} The desktop app extracts without it.`,
      );
    throw err;
  }
}

export interface HeadlessExtractResult {
  done: number;
  ok: number;
  noPose: number;
  failed: number;
  delegate: string | null;
  msPerFrame: number | null;
  /** The two-people check's time per clip (ms), from the page. */
  peopleCheckMs?: number[];
  /** Seconds per start-up phase and for the extraction itself: where a short run's time goes. */
  phases?: Record<string, number>;
}

export async function extractHeadless(
  services: Services,
  videoIds: number[],
  opts: {
    variant?: PoseModelVariant;
    numFrames?: number;
    /** Pose workers in the page (default: one per core). Sharded extraction uses 1: each clip whole on one landmarker, so its keypoints never depend on its neighbours. */
    workers?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<HeadlessExtractResult> {
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - t) / 1000;
    t = now;
  };
  const rendererDir = ensureRendererBuilt();
  lap('renderer');
  const { chromium } = await import('playwright-core');
  const host = await startWebHost(services, { port: 0, rendererDir });
  lap('webHost');
  const browser = await chromium.launch(launchOptions());
  lap('browser'); // Chromium start-up
  try {
    const page = await browser.newPage();
    if (process.env.FORM_STUDIO_DEBUG) {
      page.on('console', (m) => console.error(`[page] ${m.text()}`));
      page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      page.on('response', (r) => console.error(`[page] ${r.status()} ${r.url()}`));
    }
    // One load: the token URL redirects to the app and keeps the #/headless fragment.
    await page.goto(`${host.url}#/headless`);
    await page.waitForFunction(() => !!window.formStudioHeadless, undefined, { timeout: 120_000 });
    lap('pageLoad');
    const timer = setInterval(() => {
      void page
        .evaluate(() => window.formStudioHeadless?.progress)
        .then((p) => p && opts.onProgress?.(p.done, p.total))
        .catch(() => undefined);
    }, 500);
    try {
      const r = await page.evaluate(
        ([ids, variant, numFrames, workers]) =>
          window.formStudioHeadless!.extract(ids as number[], {
            variant: variant as PoseModelVariant | undefined,
            numFrames: numFrames as number | undefined,
            workers: workers as number | undefined,
          }),
        [videoIds, opts.variant, opts.numFrames, opts.workers] as const,
      );
      lap('extract');
      return { ...r, phases };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await browser.close();
    await host.close();
  }
}
