/**
 * Locating ffmpeg / ffprobe and running them.
 *
 * Discovery order (first hit wins):
 *   1. FFMPEG_PATH / FFPROBE_PATH environment variables (must point to an existing file);
 *   2. `ffmpeg` / `ffprobe` on PATH;
 *   3. the @ffmpeg-installer/<platform>-<arch> binary shipped in node_modules (ffmpeg only; for a packaged
 *      Electron app the `app.asar` segment is rewritten to `app.asar.unpacked`).
 * If no ffprobe is found, `probe()` falls back to parsing `ffmpeg -i` output (see probe.ts).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaError } from './errors.js';

export type ToolSource = 'env' | 'path' | 'bundled' | 'sibling';

export interface FfmpegTools {
  ffmpeg: string;
  ffmpegSource: ToolSource;
  /** null → probing parses `ffmpeg -i` instead. */
  ffprobe: string | null;
  ffprobeSource: ToolSource | null;
}

const exe = (name: string): string => (process.platform === 'win32' ? `${name}.exe` : name);

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  for (const d of dirs) {
    const p = path.join(d, exe(name));
    if (isExecutableFile(p)) return p;
  }
  return null;
}

function bundledFfmpeg(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve(`@ffmpeg-installer/${process.platform}-${process.arch}/package.json`);
    const p = path.join(path.dirname(pkg), exe('ffmpeg')).replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return isExecutableFile(p) ? p : null;
  } catch {
    return null;
  }
}

let cached: FfmpegTools | null = null;

/**
 * Find ffmpeg (required) and ffprobe (optional). Cached after the first success; pass `refresh` or
 * a custom `env` (tests) to look again. Throws MediaError('ffmpeg_missing').
 */
export function findFfmpeg(opts: { env?: NodeJS.ProcessEnv; refresh?: boolean; noBundled?: boolean } = {}): FfmpegTools {
  if (cached && !opts.refresh && !opts.env) return cached;
  const env = opts.env ?? process.env;
  let ffmpeg: string | null = null;
  let ffmpegSource: ToolSource = 'env';
  if (env.FFMPEG_PATH) {
    if (!isExecutableFile(env.FFMPEG_PATH))
      throw new MediaError('ffmpeg_missing', `FFMPEG_PATH is set to "${env.FFMPEG_PATH}", but no executable ffmpeg is there.`);
    ffmpeg = env.FFMPEG_PATH;
  }
  if (!ffmpeg) {
    ffmpeg = onPath('ffmpeg', env);
    ffmpegSource = 'path';
  }
  if (!ffmpeg && !opts.noBundled) {
    ffmpeg = bundledFfmpeg();
    ffmpegSource = 'bundled';
  }
  if (!ffmpeg)
    throw new MediaError(
      'ffmpeg_missing',
      'ffmpeg was not found: set FFMPEG_PATH, install ffmpeg on the PATH, or reinstall the app (it bundles one).',
    );

  let ffprobe: string | null = null;
  let ffprobeSource: ToolSource | null = null;
  if (env.FFPROBE_PATH) {
    if (!isExecutableFile(env.FFPROBE_PATH))
      throw new MediaError('ffmpeg_missing', `FFPROBE_PATH is set to "${env.FFPROBE_PATH}", but no executable ffprobe is there.`);
    ffprobe = env.FFPROBE_PATH;
    ffprobeSource = 'env';
  } else {
    const sibling = path.join(path.dirname(ffmpeg), exe('ffprobe'));
    if (ffmpegSource !== 'bundled' && isExecutableFile(sibling)) {
      ffprobe = sibling;
      ffprobeSource = 'sibling';
    } else {
      ffprobe = onPath('ffprobe', env);
      ffprobeSource = ffprobe ? 'path' : null;
    }
  }
  const tools: FfmpegTools = { ffmpeg, ffmpegSource, ffprobe, ffprobeSource };
  if (!opts.env) cached = tools;
  return tools;
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with each stdout chunk; when given, stdout is not buffered. */
  onStdout?: (chunk: Buffer) => void;
  /** Keep only the last N characters of stderr (default 64 KiB). */
  stderrLimit?: number;
  /** Kill the process after this many ms. */
  timeoutMs?: number;
}

/** Spawn a tool, collect output; rejects MediaError('aborted') on abort, MediaError('ffmpeg_missing') on ENOENT. */
export function runTool(bin: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new MediaError('aborted', 'The operation was cancelled.'));
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let err = '';
    const limit = opts.stderrLimit ?? 65536;
    let settled = false;
    let aborted = false;
    let timedOut = false;
    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = opts.timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), opts.timeoutMs) : null;
    child.stdout.on('data', (c: Buffer) => (opts.onStdout ? opts.onStdout(c) : out.push(c)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      err += c;
      if (err.length > limit * 2) err = err.slice(-limit);
    });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          e.code === 'ENOENT'
            ? new MediaError('ffmpeg_missing', `Could not start ${bin}: the file does not exist.`)
            : new MediaError('ffmpeg_failed', `Could not start ${bin}: ${e.message}`),
        ),
      ),
    );
    child.on('close', (code) =>
      finish(() => {
        if (aborted) return reject(new MediaError('aborted', 'The operation was cancelled.'));
        if (timedOut) return reject(new MediaError('ffmpeg_failed', `${path.basename(bin)} timed out after ${opts.timeoutMs} ms.`, undefined, err.slice(-limit)));
        resolve({ code, stdout: Buffer.concat(out), stderr: err.slice(-limit) });
      }),
    );
  });
}

/** Last non-empty lines of tool output, for error details. */
export function tail(s: string, lines = 4): string {
  return s.trim().split(/\r?\n/).slice(-lines).join('\n');
}
