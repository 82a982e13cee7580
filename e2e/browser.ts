import { existsSync } from 'node:fs';

/** Chromium to drive: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own when installed. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return undefined; // Playwright falls back to its own browser if installed
}

export function chromiumArgs(extra: string[] = []): string[] {
  return [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    ...extra,
  ];
}
