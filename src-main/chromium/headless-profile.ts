/**
 * The Chromium profile the command line's headless sessions keep between runs, for its code caches: after a
 * run V8 has stored the pose wasm's optimized code (and the page's compiled JS) there, and the next run starts
 * from it instead of compiling again (`score` with no keypoint cache: ≈ 5 CPU-s less, see README). Those
 * caches are keyed by URL, so the web host has to come back on the same port: the profile remembers it.
 *
 * One process uses it at a time (a lock file holding its pid; a dead holder's lock is taken over); any other
 * gets null and runs on a throwaway profile as before. It lives in the user's cache folder: it is this
 * machine's compiled code, not project data, and deleting it only costs the next run its compile.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { userCacheDir } from '../paths';

export interface HeadlessProfile {
  /** The user data directory for Chromium. */
  dir: string;
  /** The port the web host had last time (0: none yet). */
  port: number;
  /** Remember the port the web host got this time. */
  keepPort(port: number): void;
  /** Let another process use the profile (after Chromium has closed). */
  release(): void;
}

/**
 * Up to this much of Chromium's HTTP cache (the sampled frames go through it too; the pose assets, used every run,
 * stay). Chromium caches no entry over 1/8 of it, and the code cache needs the 11 MB wasm's entry.
 */
export const HEADLESS_DISK_CACHE_BYTES = 160 * 1024 * 1024;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null; // none yet
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Take the lock at `path`: true when this process now holds it. */
function lock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false;
      rmSync(path, { force: true }); // left by a process that died: take it over
    }
  }
  return false;
}

/**
 * The kept profile, locked for this process; null when another process has it or it cannot be made. A profile
 * last used by another Chromium version is emptied first: an older Chromium may refuse a newer one's profile,
 * and its code caches would not fit anyway.
 */
export function acquireHeadlessProfile(
  chromiumVersion: string,
  root = join(userCacheDir(), 'headless-chromium'),
): HeadlessProfile | null {
  const dir = join(root, 'profile');
  const lockPath = join(root, 'in-use.lock');
  const portPath = join(root, 'port');
  const versionPath = join(root, 'chromium-version');
  try {
    mkdirSync(root, { recursive: true });
    if (!lock(lockPath)) return null;
  } catch {
    return null; // a read-only or full cache folder: run as before
  }
  try {
    if (readText(versionPath) !== chromiumVersion) {
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(versionPath, chromiumVersion);
    }
    mkdirSync(dir, { recursive: true });
  } catch {
    rmSync(lockPath, { force: true });
    return null;
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    rmSync(lockPath, { force: true });
  };
  process.on('exit', release); // an interrupted run does not leave the profile locked
  const n = Number(readText(portPath));
  const port = Number.isInteger(n) && n > 0 && n < 65536 ? n : 0;
  return {
    dir,
    port,
    keepPort(p) {
      if (p === port) return;
      try {
        writeFileSync(portPath, String(p));
      } catch {
        /* only costs the next run its code cache */
      }
    },
    release,
  };
}
