/**
 * Locating ffmpeg / ffprobe: the one discovery used by the app, the CLI, tests, bench and e2e.
 *
 * Order, per tool (first candidate that RUNS wins; each is checked with `-version`, once per process):
 *   1. FFMPEG_PATH / FFPROBE_PATH (an explicit choice: if it does not run, that is an error, not a fallback);
 *   2. a system binary (ffprobe: beside the chosen system ffmpeg first, then on PATH);
 *   3. the binary shipped in node_modules (@ffmpeg-installer / @ffprobe-installer for this platform; in a
 *      packaged Electron app the `app.asar` segment is rewritten to `app.asar.unpacked`).
 * A broken system binary (exit 127, a missing library) is skipped, so it never makes every video look damaged.
 * Without any ffprobe, `probe()` parses `ffmpeg -i` instead (see probe.ts).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaError } from './errors.js';
import { isExecutableFile } from '../is-executable.js';
import { rememberedVersion, type VersionCheck } from '../tool-versions.js';

export type ToolSource = 'env' | 'path' | 'bundled' | 'sibling';

export interface FfmpegTools {
  ffmpeg: string;
  ffmpegSource: ToolSource;
  /** First line of `ffmpeg -version`. */
  ffmpegVersion: string;
  /** null → probing parses `ffmpeg -i` instead. */
  ffprobe: string | null;
  ffprobeSource: ToolSource | null;
  ffprobeVersion: string | null;
}

export interface FindOptions {
  env?: NodeJS.ProcessEnv;
  refresh?: boolean;
  /** Do not consider the node_modules binaries (tests). */
  noBundled?: boolean;
}

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name);

/** `-version` results by path, once per process: a file that exists but cannot run is remembered too. */
const versionCache = new Map<string, { ok: true; version: string } | { ok: false; why: string }>();

function runVersion(bin: string): VersionCheck {
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 15_000, windowsHide: true });
  const first = (r.stdout ?? '').split(/\r?\n/)[0]?.trim() ?? '';
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0 || !/version/i.test(first))
    return {
      ok: false,
      why: `\`-version\` exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split(/\r?\n/).slice(-1)[0] ?? ''}`.trim(),
    };
  return { ok: true, version: first };
}

/** `<bin> -version` (remembered between processes, see tool-versions.ts); ok with its first line, or why it does not run. */
export function checkTool(bin: string): { ok: true; version: string } | { ok: false; why: string } {
  const hit = versionCache.get(bin);
  if (hit) return hit;
  let result: { ok: true; version: string } | { ok: false; why: string };
  if (!isExecutableFile(bin)) result = { ok: false, why: 'no executable file there' };
  else result = rememberedVersion(bin, {}, () => runVersion(bin));
  versionCache.set(bin, result);
  return result;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  return dirs.map((d) => path.join(d, exe(name))).filter(isExecutableFile);
}

function bundled(tool: 'ffmpeg' | 'ffprobe'): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve(`@${tool}-installer/${process.platform}-${process.arch}/package.json`);
    return path.join(path.dirname(pkg), exe(tool)).replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  } catch {
    return null;
  }
}

interface Pick {
  bin: string;
  source: ToolSource;
  version: string;
}

/** The first candidate that runs; `skipped` collects why the others did not (for the error message). */
function firstWorking(candidates: Array<{ bin: string | null; source: ToolSource }>, skipped: string[]): Pick | null {
  for (const c of candidates) {
    if (!c.bin) continue;
    const r = checkTool(c.bin);
    if (r.ok) return { bin: c.bin, source: c.source, version: r.version };
    skipped.push(`${c.bin} (${r.why})`);
  }
  return null;
}

function fromEnv(name: 'FFMPEG_PATH' | 'FFPROBE_PATH', env: NodeJS.ProcessEnv): Pick | null {
  const bin = env[name];
  if (!bin) return null;
  const r = checkTool(bin);
  if (!r.ok) throw new MediaError('ffmpeg_missing', `${name} is set to "${bin}", but it does not run: ${r.why}.`);
  return { bin, source: 'env', version: r.version };
}

let cached: FfmpegTools | null = null;

/**
 * Find ffmpeg (required) and ffprobe (optional). Cached after the first success; pass `refresh` or
 * a custom `env` (tests) to look again. Throws MediaError('ffmpeg_missing').
 */
export function findFfmpeg(opts: FindOptions = {}): FfmpegTools {
  if (cached && !opts.refresh && !opts.env && !opts.noBundled) return cached;
  const env = opts.env ?? process.env;
  const skipped: string[] = [];
  const ff =
    fromEnv('FFMPEG_PATH', env) ??
    firstWorking(
      [
        ...onPath('ffmpeg', env).map((bin) => ({ bin, source: 'path' as const })),
        { bin: opts.noBundled ? null : bundled('ffmpeg'), source: 'bundled' },
      ],
      skipped,
    );
  if (!ff)
    throw new MediaError(
      'ffmpeg_missing',
      `ffmpeg was not found: set FFMPEG_PATH, install ffmpeg on the PATH, or run \`npm install\` (it ships one)${skipped.length ? `. Skipped: ${skipped.join('; ')}` : ''}.`,
    );
  const sibling = ff.source !== 'bundled' ? path.join(path.dirname(ff.bin), exe('ffprobe')) : null;
  const probe =
    fromEnv('FFPROBE_PATH', env) ??
    firstWorking(
      [
        { bin: sibling, source: 'sibling' },
        ...onPath('ffprobe', env)
          .filter((b) => b !== sibling)
          .map((bin) => ({ bin, source: 'path' as const })),
        { bin: opts.noBundled ? null : bundled('ffprobe'), source: 'bundled' },
      ],
      skipped,
    );
  const tools: FfmpegTools = {
    ffmpeg: ff.bin,
    ffmpegSource: ff.source,
    ffmpegVersion: ff.version,
    ffprobe: probe?.bin ?? null,
    ffprobeSource: probe?.source ?? null,
    ffprobeVersion: probe?.version ?? null,
  };
  if (!opts.env && !opts.noBundled) cached = tools;
  return tools;
}

/** One line per tool for `info` and the test preflight: which binary, where it came from, its version. */
export function describeFfmpeg(t: FfmpegTools): string[] {
  const label: Record<ToolSource, string> = {
    env: 'from the environment variable',
    path: 'on PATH',
    sibling: 'beside ffmpeg',
    bundled: 'bundled (npm package)',
  };
  return [
    `ffmpeg: ${t.ffmpeg} (${label[t.ffmpegSource]}; ${t.ffmpegVersion})`,
    t.ffprobe
      ? `ffprobe: ${t.ffprobe} (${label[t.ffprobeSource!]}; ${t.ffprobeVersion})`
      : 'ffprobe: none (videos are probed with `ffmpeg -i`)',
  ];
}
