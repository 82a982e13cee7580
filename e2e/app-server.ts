import type { Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AppServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  home: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start the real web host (`form-studio serve --no-open`) on a free port with its own FORM_STUDIO_HOME, through
 * bin/form-studio.js as a user starts it: the CLI bundle of `npm run build` (test:e2e builds first), no TypeScript
 * compile per start; on a checkout edited since the build it runs the sources (tsx) instead.
 */
export async function startAppServer(opts: { home?: string; env?: Record<string, string> } = {}): Promise<AppServer> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'fs-e2e-'));
  const child = spawn(process.execPath, ['bin/form-studio.js', 'serve', '--no-open', '--port', '0', '--home', home], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /FORM_STUDIO_URL=(\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    home,
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await exited;
    },
  };
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

export interface ApiReply<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

/** One API call from inside the page (its token cookie), answered as the web host sends it. */
export function apiReply<T = unknown>(page: Page, name: string, input: unknown = {}): Promise<ApiReply<T>> {
  return page.evaluate(
    async ([n, i]) =>
      (
        await fetch(`/api/call/${n}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(i),
        })
      ).json(),
    [name, input] as const,
  );
}

/** The call's value; a typed API error fails the test with its message. */
export async function apiCall<T>(page: Page, name: string, input: unknown = {}): Promise<T> {
  const r = await apiReply<T>(page, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error?.message}`);
  return r.value as T;
}
