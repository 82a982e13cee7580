import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** Real test media, used in place: ../shared/fixtures beside the checkout (override: FORM_STUDIO_FIXTURES). */
export const FIXTURES_DIR = process.env.FORM_STUDIO_FIXTURES ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'fixtures');
export const fixture = (...parts: string[]) => join(FIXTURES_DIR, ...parts);
