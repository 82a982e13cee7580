import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Real test media, used in place: FORM_STUDIO_FIXTURES, else the nearest `shared/fixtures` above the checkout
 * (beside it for the main checkout, further up for a worktree). The one place tests, e2e and bench find them.
 */
function locate(): string {
  if (process.env.FORM_STUDIO_FIXTURES) return resolve(process.env.FORM_STUDIO_FIXTURES);
  for (let dir = dirname(ROOT); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'fixtures');
    if (existsSync(candidate)) return candidate;
  }
  // Not found: the documented place, so a test fails naming the path it expected.
  return join(dirname(ROOT), 'shared', 'fixtures');
}

export const FIXTURES_DIR = locate();
export const fixture = (...parts: string[]) => join(FIXTURES_DIR, ...parts);
