/**
 * Run renderer work (pose extraction) from the command line: serve the app on 127.0.0.1, open it in
 * headless Chromium and call the renderer's headless entry points. One implementation, not two.
 */
import { createRequire } from 'node:module';
import type { Services } from '../services';
import { startWebHost, type WebHost } from '../web-host/server';
import { HEADLESS_DISK_CACHE_BYTES, acquireHeadlessProfile, type HeadlessProfile } from '../chromium/headless-profile';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt } from './ensure-built';
import { CliError } from './args';
import { ChromiumMissing, chromiumLaunchOptions, findChromium } from '../chromium/find';
import type { PoseModelVariant } from '../../src-shared/keypoints/format';

/** The Chromium to drive (see chromium/find.ts) and its version; a CliError with the one line saying what to install. */
function chromiumToDrive(): { options: ReturnType<typeof chromiumLaunchOptions>; version: string } {
  try {
    const found = findChromium({ onUnpack: (v) => console.error(`Unpacking the bundled Chromium ${v} (once)…`) });
    return { options: chromiumLaunchOptions([], found), version: found.version };
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
  /** In the page: ms from the extract() call to the end of each step (pose model ready, frames, pose, check, save). */
  stepsMs?: Record<string, number>;
}

export interface ExtractOptions {
  variant?: PoseModelVariant;
  numFrames?: number;
  /** Pose workers in the page (default: one per core). Sharded extraction uses 1: each clip whole on one landmarker, so its keypoints never depend on its neighbours. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /** Frames through the pose model, of the frames sampled so far (a long clip's progress). */
  onFrames?: (done: number, total: number) => void;
}

/** The app open in headless Chromium, ready for extract() calls; close() stops Chromium and the web host. */
export interface HeadlessSession {
  extract(videoIds: number[], opts: ExtractOptions): Promise<HeadlessExtractResult>;
  close(): Promise<void>;
  /**
   * Seconds from openHeadless() until the web host, Chromium and the page were ready. The web host and
   * Chromium start side by side, so `webHost` and `browser` overlap; `pageLoad` follows the later of them.
   */
  phases: Record<string, number>;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
/** Keys of extract() calls in the page, so side-by-side calls each read their own progress. */
let nextKey = 1;

/** The web host on `port` (the profile's last one, for its code caches), or any free port if that is taken. */
async function startHost(services: Services, rendererDir: string, port: number): Promise<WebHost> {
  try {
    return await startWebHost(services, { port, rendererDir });
  } catch (err) {
    if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startWebHost(services, { port: 0, rendererDir });
  }
}

/** Headless Chromium: on the kept profile when this process holds it, else on a throwaway one. */
async function launchBrowser(
  options: ReturnType<typeof chromiumLaunchOptions>,
  profile: HeadlessProfile | null,
): Promise<{ page(): Promise<Page>; close(): Promise<void> }> {
  // require, not import(): Node's ESM loader would first scan playwright-core's 3 MB CommonJS bundle for its
  // export names (≈0.2–0.3 s of the main thread, just before Chromium can start).
  const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
  const throwaway = async () => {
    const browser = await chromium.launch(options);
    return { page: () => browser.newPage(), close: () => browser.close() };
  };
  if (!profile) return throwaway();
  try {
    const context = await chromium.launchPersistentContext(profile.dir, {
      ...options,
      args: [...options.args, `--disk-cache-size=${HEADLESS_DISK_CACHE_BYTES}`],
    });
    return { page: async () => context.pages()[0] ?? context.newPage(), close: () => context.close() };
  } catch (err) {
    // A profile Chromium will not open (damaged, or still in use by a Chromium we did not start) only costs the
    // code caches: run as before.
    console.warn(
      `Chromium would not open its kept profile (${(err as Error).message.split('\n')[0]}); using a new one.`,
    );
    profile.release();
    return throwaway();
  }
}

/**
 * Start the web host and Chromium side by side and open the headless page. With `warm`, the page also starts
 * loading that pose model at once, so a caller with other work to do first (checking videos) finds it loaded.
 */
export async function openHeadless(
  services: Services,
  opts: { warm?: { variant: PoseModelVariant; workers?: number } } = {},
): Promise<HeadlessSession> {
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const rendererDir = ensureRendererBuilt();
  phases.renderer = seconds(performance.now() - t0);
  const toDrive = chromiumToDrive();
  const profile = acquireHeadlessProfile(toDrive.version);
  const hostP = startHost(services, rendererDir, profile?.port ?? 0).then((h) => {
    profile?.keepPort(h.port);
    phases.webHost = seconds(performance.now() - t0);
    return h;
  });
  const browserP = Promise.resolve().then(async () => {
    const b = await launchBrowser(toDrive.options, profile);
    phases.browser = seconds(performance.now() - t0);
    return b;
  });
  const [host, browser] = await Promise.allSettled([hostP, browserP]);
  const close = async () => {
    if (browser.status === 'fulfilled') await browser.value.close();
    if (host.status === 'fulfilled') await host.value.close();
    profile?.release();
  };
  if (host.status === 'rejected' || browser.status === 'rejected') {
    await close();
    throw host.status === 'rejected' ? host.reason : (browser as PromiseRejectedResult).reason;
  }
  try {
    const tPage = performance.now();
    const page = await browser.value.page();
    if (process.env.FORM_STUDIO_DEBUG) {
      page.on('console', (m) => console.error(`[page] ${m.text()}`));
      page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      page.on('response', (r) => console.error(`[page] ${r.status()} ${r.url()}`));
    }
    // One load: the token URL redirects to the app and keeps the #/headless fragment.
    await page.goto(`${host.value.url}#/headless`);
    await page.waitForFunction(() => !!window.formStudioHeadless, undefined, { timeout: 120_000 });
    phases.pageLoad = seconds(performance.now() - tPage);
    if (opts.warm)
      await page.evaluate(([v, w]) => window.formStudioHeadless!.warm(v, w), [
        opts.warm.variant,
        opts.warm.workers,
      ] as const);
    return {
      phases,
      close,
      async extract(videoIds, o) {
        const t = performance.now();
        const key = String(nextKey++);
        const timer = setInterval(() => {
          void page
            .evaluate((k) => window.formStudioHeadless?.progress[k], key)
            .then((p) => {
              if (!p) return;
              o.onProgress?.(p.done, p.total);
              o.onFrames?.(p.frames.done, p.frames.total);
            })
            .catch(() => undefined);
        }, 500);
        try {
          const r = await page.evaluate(
            ([ids, variant, numFrames, workers, k]) =>
              window.formStudioHeadless!.extract(ids as number[], {
                variant: variant as PoseModelVariant | undefined,
                numFrames: numFrames as number | undefined,
                workers: workers as number | undefined,
                progressKey: k as string,
              }),
            [videoIds, o.variant, o.numFrames, o.workers, key] as const,
          );
          o.onFrames?.(r.frames.done, r.frames.total); // the last count, whenever the last poll was
          return { ...r, phases: { ...phases, extract: seconds(performance.now() - t) } };
        } finally {
          clearInterval(timer);
        }
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Extract keypoints for `videoIds` in a headless session opened for this call alone. */
export async function extractHeadless(
  services: Services,
  videoIds: number[],
  opts: ExtractOptions,
): Promise<HeadlessExtractResult> {
  const session = await openHeadless(services);
  try {
    return await session.extract(videoIds, opts);
  } finally {
    await session.close();
  }
}
