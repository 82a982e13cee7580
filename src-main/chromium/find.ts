/**
 * Which Chromium the CLI's headless pose and the e2e tests drive: the one discovery for both.
 *
 * Order (the first that RUNS wins; each is checked with `--version`, once per process):
 *   1. CHROMIUM_PATH (an explicit choice: if it does not run, that is an error);
 *   2. an installed Chromium / Chrome / Edge (usual install paths, then PATH);
 *   3. the Chromium shipped in the @sparticuz/chromium npm package (Linux x64), unpacked once.
 * Electron's binary is not a candidate: Playwright's `chromium.launch` cannot drive it (it needs an app
 * script and `_electron.launch`), and the e2e tests and headless pose need a plain browser.
 */
import path from 'node:path';
import { bundledChromium, chromiumVersion, hasBundledChromium } from './bundled';
import { isExecutableFile } from '../is-executable';

export type ChromiumSource = 'env' | 'installed' | 'bundled';

export interface ChromiumFound {
  path: string;
  source: ChromiumSource;
  version: string;
  /** Environment the binary needs on top of process.env (the bundled one's libraries and fonts). */
  env: Record<string, string>;
}

/** The features Playwright disables (playwright-core's chromiumSwitches.ts; a test checks we still list them all). */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AimEnabled',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsFirstBalancedModeAutoEnable',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'NetworkTimeServiceQuerying',
  'OptimizationHints',
  'PaintHolding',
  'PreconnectToSearch',
  'TcpPortRandomizationWin',
  'ThirdPartyStoragePartitioning',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'msForceBrowserSignIn',
];

/**
 * Browser UI a headless page never shows: Chromium 156's headless mode still preloads two omnibox-popup
 * WebUI pages in a renderer of their own, ≈2 s of CPU at every launch here (most of an idle launch).
 */
const UNSHOWN_BROWSER_UI = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
  'PreloadTopChromeWebUI',
];

/**
 * Flags for a quiet, offline Chromium (no background traffic, no first-run UI, no unseen browser UI).
 * Chromium keeps only the last `--disable-features`, and ours comes after Playwright's: it repeats Playwright's.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...UNSHOWN_BROWSER_UI].join(',')}`,
];

/** The one line `npm test` and the CLI print when no Chromium can be found. */
export const NO_CHROMIUM =
  'No working Chromium: run `npm install` (it ships one for Linux x64 in @sparticuz/chromium), or install Chromium/Chrome/Edge (e.g. `apt-get install chromium`), or set CHROMIUM_PATH to one.';

const INSTALLED: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    `${process.env['PROGRAMFILES'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`,
  ],
};
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];

function installedCandidates(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = PATH_NAMES.flatMap((n) => dirs.map((d) => path.join(d, n)));
  return [...new Set([...(INSTALLED[process.platform] ?? []), ...onPath])].filter(isExecutableFile);
}

export class ChromiumMissing extends Error {}

let cached: ChromiumFound | null = null;

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip installed browsers (tests of the bundled path). */
  noInstalled?: boolean;
  /** Skip the npm-shipped Chromium. */
  noBundled?: boolean;
  /** Told before the bundled Chromium is unpacked (the first time only). */
  onUnpack?: (version: string, dir: string) => void;
}

/** Find a Chromium that runs. Throws ChromiumMissing (message: NO_CHROMIUM plus what was skipped). */
export function findChromium(opts: FindChromiumOptions = {}): ChromiumFound {
  const custom = !!(opts.env || opts.noInstalled || opts.noBundled);
  if (cached && !custom) return cached;
  const env = opts.env ?? process.env;
  const skipped: string[] = [];
  let found: ChromiumFound | null = null;
  if (env.CHROMIUM_PATH) {
    const r = chromiumVersion(env.CHROMIUM_PATH);
    if (!r.ok)
      throw new ChromiumMissing(`CHROMIUM_PATH is set to "${env.CHROMIUM_PATH}", but it does not run: ${r.why}.`);
    found = { path: env.CHROMIUM_PATH, source: 'env', version: r.version, env: {} };
  }
  for (const bin of opts.noInstalled ? [] : installedCandidates(env)) {
    if (found) break;
    const r = chromiumVersion(bin);
    if (r.ok) found = { path: bin, source: 'installed', version: r.version, env: {} };
    else skipped.push(`${bin} (${r.why})`);
  }
  if (!found && !opts.noBundled && hasBundledChromium()) {
    const b = bundledChromium(opts.onUnpack);
    const r = b ? chromiumVersion(b.path, b.env) : null;
    if (b && r?.ok) found = { path: b.path, source: 'bundled', version: r.version, env: b.env };
    else if (b && r && !r.ok) skipped.push(`${b.path} (${r.why})`);
  }
  if (!found)
    throw new ChromiumMissing(skipped.length ? `${NO_CHROMIUM} Skipped: ${skipped.join('; ')}.` : NO_CHROMIUM);
  if (!custom) cached = found;
  return found;
}

/** Playwright launch options for the found Chromium: its path, our flags (plus `extra`) and its environment. */
export function chromiumLaunchOptions(
  extra: string[] = [],
  found: ChromiumFound = findChromium(),
): { executablePath: string; args: string[]; env?: Record<string, string> } {
  const env = Object.keys(found.env).length ? ({ ...process.env, ...found.env } as Record<string, string>) : undefined;
  return { executablePath: found.path, args: [...CHROMIUM_ARGS, ...extra], ...(env ? { env } : {}) };
}

/** One line for `info` and the test preflight. */
export function describeChromium(c: ChromiumFound): string {
  const label: Record<ChromiumSource, string> = {
    env: 'CHROMIUM_PATH',
    installed: 'installed',
    bundled: 'bundled (npm package)',
  };
  return `chromium: ${c.path} (${label[c.source]}; ${c.version})`;
}
