/**
 * The Chromium shipped inside the @sparticuz/chromium npm tarball (Linux x64 only): a brotli-compressed
 * chrome-headless-shell plus its NSS libraries, SwiftShader (software WebGL) and a font. Unpacked once into
 * the user cache folder; nothing is downloaded. Its own loader is not used: it unpacks into the shared /tmp
 * and requires Node 22.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import * as tar from 'tar';
import { userCacheDir } from '../paths';
import { rememberedVersion, type VersionCheck } from '../tool-versions';

export interface BundledChromium {
  path: string;
  /** Extra environment the binary needs (its own libraries and fonts). */
  env: Record<string, string>;
}

/** The package's folder and version, or null when it is not installed (or not for this platform). */
function bundledPackage(): { bin: string; version: string } | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  try {
    // Its `exports` hide package.json: resolve the entry (build/index.js) and go up to the package folder.
    const root = dirname(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')));
    const pkg = join(root, 'package.json');
    const bin = join(root, 'bin');
    if (!existsSync(join(bin, 'chromium.br'))) return null;
    return { bin, version: (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version };
  } catch {
    return null;
  }
}

/** Where the unpacked copy lives (the user cache folder, see paths.ts), per version. */
function cacheDir(version: string): string {
  return join(userCacheDir(), `chromium-${version}`);
}

function envFor(dir: string): Record<string, string> {
  const ld = process.env.LD_LIBRARY_PATH;
  return {
    LD_LIBRARY_PATH: ld ? `${join(dir, 'lib')}:${ld}` : join(dir, 'lib'),
    FONTCONFIG_FILE: join(dir, 'fonts.conf'),
  };
}

/** Whether the bundled package is installed at all (without unpacking it). */
export function hasBundledChromium(): boolean {
  return bundledPackage() !== null;
}

/**
 * The unpacked bundled Chromium, unpacking it first if needed (≈3–6 s once; `onUnpack` is told before).
 * Null when the package is absent. Unpacks into a temporary sibling and renames, so a concurrent
 * process never sees half a binary.
 */
export function bundledChromium(onUnpack?: (version: string, dir: string) => void): BundledChromium | null {
  const pkg = bundledPackage();
  if (!pkg) return null;
  const dir = cacheDir(pkg.version);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return { path: binary, env: envFor(dir) };
  onUnpack?.(pkg.version, dir);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    writeFileSync(join(tmp, 'chromium'), brotliDecompressSync(readFileSync(join(pkg.bin, 'chromium.br'))));
    chmodSync(join(tmp, 'chromium'), 0o755);
    // al2023: NSS/NSPR/expat (libraries a bare Linux may lack); swiftshader: software GL beside the binary.
    for (const archive of ['al2023.tar.br', 'swiftshader.tar.br', 'fonts.tar.br']) {
      const tarFile = join(tmp, archive.replace(/\.br$/, ''));
      writeFileSync(tarFile, brotliDecompressSync(readFileSync(join(pkg.bin, archive))));
      tar.x({ file: tarFile, cwd: tmp, sync: true });
      rmSync(tarFile);
    }
    // Fonts: the system's configuration when there is one, plus the shipped font, with a private cache.
    writeFileSync(
      join(tmp, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(tmp, dir);
    } catch (err) {
      if (!existsSync(binary)) throw err; // another process won the race: use its copy
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { path: binary, env: envFor(dir) };
}

/**
 * `--version` of a Chromium binary with extra env (remembered between processes, see tool-versions.ts); the
 * version line, or why it does not run.
 */
export function chromiumVersion(bin: string, env: Record<string, string> = {}): VersionCheck {
  // Windows Chrome is a GUI program that prints nothing for --version: existence is all we can check there.
  if (process.platform === 'win32')
    return existsSync(bin) ? { ok: true, version: 'Chrome' } : { ok: false, why: 'no such file' };
  return rememberedVersion(bin, env, () => runVersion(bin, env));
}

function runVersion(bin: string, env: Record<string, string>): VersionCheck {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  const first = (r.stdout ?? '').trim().split(/\r?\n/)[0] ?? '';
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0 || !/\d+\.\d+/.test(first))
    return {
      ok: false,
      why: `\`--version\` exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split(/\r?\n/).slice(-1)[0] ?? ''}`.trim(),
    };
  return { ok: true, version: first };
}
