import { chromiumLaunchOptions, findChromium } from '../src-main/chromium/find';

/**
 * Playwright launch options for the e2e tests: the app's own Chromium discovery (CHROMIUM_PATH → an
 * installed Chromium/Chrome/Edge → the one shipped in @sparticuz/chromium), our quiet flags plus `extra`.
 */
export function launchOptions(extra: string[] = []): ReturnType<typeof chromiumLaunchOptions> {
  return chromiumLaunchOptions(['--disable-default-apps', ...extra], findChromium());
}
