import { CHROMIUM_ARGS, chromiumExecutable } from '../src-main/cli/headless';

/** Chromium to drive (the CLI's own lookup); undefined lets Playwright use its own browser if installed. */
export function chromiumPath(): string | undefined {
  return chromiumExecutable();
}

export function chromiumArgs(extra: string[] = []): string[] {
  return [...CHROMIUM_ARGS, '--disable-default-apps', ...extra];
}
