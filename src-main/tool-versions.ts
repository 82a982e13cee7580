/**
 * `-version` checks of the tools we run (ffmpeg, ffprobe, Chromium) remembered on disk between processes.
 * Each check starts the binary (≈0.2 s each for Debian's ffmpeg, which loads 215 shared libraries, and for
 * Chromium) and blocks the event loop while it runs: every `form-studio score` paid ≈0.6 s for them on a
 * quiet machine, ≈2 s under load, before its real work could start.
 *
 * Only a check that passed is remembered, keyed by the binary's identity (path, inode, size, modified and
 * changed times) and, on Linux, the dynamic linker's cache: a replaced or upgraded binary, a chmod, or
 * libraries installed or removed (which rewrites /etc/ld.so.cache) are checked again; so is anything a
 * week old. A broken binary is never remembered, so it keeps being skipped.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userCacheDir } from './paths';

export type VersionCheck = { ok: true; version: string } | { ok: false; why: string };

const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

interface Entry {
  key: string;
  version: string;
  at: number;
}

function statKey(file: string): string {
  try {
    const s = statSync(file);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'none';
  }
}

/** What must not have changed for a remembered check to hold; null when the binary cannot be read. */
function identity(bin: string, env: Record<string, string>): string | null {
  const own = statKey(bin);
  if (own === 'none') return null;
  const linker = process.platform === 'linux' ? statKey('/etc/ld.so.cache') : '';
  return `${own}|${linker}|${JSON.stringify(env)}`;
}

const file = () => join(userCacheDir(), 'tool-versions.json');
let loaded: Record<string, Entry> | null = null;

function entries(): Record<string, Entry> {
  if (!loaded) {
    try {
      const data = JSON.parse(readFileSync(file(), 'utf8')) as unknown;
      loaded = data && typeof data === 'object' ? (data as Record<string, Entry>) : {};
    } catch {
      loaded = {}; // none yet, or unreadable: check again
    }
  }
  return loaded;
}

function save(all: Record<string, Entry>): void {
  try {
    const f = file();
    mkdirSync(dirname(f), { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all));
    renameSync(tmp, f); // a reader never sees half a file
  } catch {
    /* a read-only cache folder: the next process checks again */
  }
}

/** `check()` of `bin` (run with `env`), or its remembered passing result. */
export function rememberedVersion(bin: string, env: Record<string, string>, check: () => VersionCheck): VersionCheck {
  const key = identity(bin, env);
  const all = entries();
  const hit = key ? all[bin] : undefined;
  if (hit && hit.key === key && Date.now() - hit.at < MAX_AGE_MS) return { ok: true, version: hit.version };
  const r = check();
  if (r.ok && key) {
    all[bin] = { key, version: r.version, at: Date.now() };
    save(all);
  } else if (hit) {
    delete all[bin];
    save(all);
  }
  return r;
}

/** Tests: read the file again on the next call, as a new process would. */
export function forgetLoadedVersions(): void {
  loaded = null;
}
