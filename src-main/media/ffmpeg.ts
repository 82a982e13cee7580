/**
 * Running ffmpeg / ffprobe. Finding them is ffmpeg-find.ts (re-exported here for the existing importers).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MediaError } from './errors.js';

export { findFfmpeg, describeFfmpeg, checkTool, type FfmpegTools, type ToolSource } from './ffmpeg-find.js';

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
        if (timedOut)
          return reject(
            new MediaError(
              'ffmpeg_failed',
              `${path.basename(bin)} timed out after ${opts.timeoutMs} ms.`,
              undefined,
              err.slice(-limit),
            ),
          );
        resolve({ code, stdout: Buffer.concat(out), stderr: err.slice(-limit) });
      }),
    );
  });
}

/** Last non-empty lines of tool output, for error details. */
export function tail(s: string, lines = 4): string {
  return s.trim().split(/\r?\n/).slice(-lines).join('\n');
}
