/** bin/form-studio.js passes SIGTERM/SIGINT to the real CLI: stopping the wrapper stops the server (issue #13). */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'fs-wrapper-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.on('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}

async function serveThenSignal(
  signal: NodeJS.Signals,
): Promise<{ port: number; code: number | null; sig: NodeJS.Signals | null }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'form-studio.js'), 'serve', '--port', '0', '--no-open', '--home', join(tmp, signal)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /FORM_STUDIO_URL=http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
  });
  expect(await listening(port)).toBe(true);
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, sig) => r({ code, sig })),
  );
  child.kill(signal);
  return { port, ...(await exited) };
}

describe('bin/form-studio.js', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the wrapper stops the server it started`, async () => {
      const r = await serveThenSignal(signal);
      expect(r.code === 0 || r.sig === signal).toBe(true);
      expect(await listening(r.port)).toBe(false);
    }, 60_000);
  }
});
