import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

/** Where a Form Studio home keeps its things. One home holds one database and its projects' files. */
export interface HomePaths {
  home: string;
  db: string;
  /** Default media root of the default project (imported and downloaded videos). */
  media: string;
  /** Derived files that can be rebuilt: thumbnails, previews, sampled frames. */
  cache: string;
  models: string;
  downloads: string;
}

/**
 * The home folder: FORM_STUDIO_HOME when set, else Electron's userData when given, else the platform's
 * user data folder (XDG_DATA_HOME on Linux).
 */
export function resolveHome(opts: { override?: string | null; electronUserData?: string | null } = {}): string {
  const fromEnv = opts.override ?? process.env.FORM_STUDIO_HOME;
  if (fromEnv) return resolve(fromEnv);
  if (opts.electronUserData) return opts.electronUserData;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Form Studio');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Form Studio');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'form-studio');
}

/**
 * This machine's cache folder for Form Studio (things any project may reuse and that can be rebuilt: the
 * unpacked bundled Chromium, the headless Chromium profile): FORM_STUDIO_CACHE, else XDG_CACHE_HOME or ~/.cache.
 */
export function userCacheDir(): string {
  return (
    process.env.FORM_STUDIO_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir() || tmpdir(), '.cache'), 'form-studio')
  );
}

export function homePaths(home: string): HomePaths {
  const p: HomePaths = {
    home,
    db: join(home, 'form-studio.db'),
    media: join(home, 'media'),
    cache: join(home, 'cache'),
    models: join(home, 'models'),
    downloads: join(home, 'downloads'),
  };
  for (const dir of [p.home, p.media, p.cache, p.models, p.downloads]) mkdirSync(dir, { recursive: true });
  return p;
}
