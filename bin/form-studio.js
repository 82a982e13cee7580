#!/usr/bin/env node
// Runs the CLI bundle (dist/cli, built by `npm run build`) in this process when it is newer than the sources:
// no TypeScript compile at start-up. Otherwise (a checkout being edited, or not built) runs the sources through
// tsx (a runtime dependency) in a child process, so the CLI and the app always share one codebase. Signals sent
// to this wrapper (SIGTERM from a service manager, Ctrl+C, Ctrl+Break on Windows) are passed on to that child,
// and the wrapper exits the way the child did, so stopping the wrapper never leaves a server running.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'form-studio.mjs');

/** Newest modification time (ms) of the .ts sources the bundle is built from. */
function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function runSources() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src-main', 'cli', 'entry.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  const SIGNALS = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of SIGNALS) process.on(s, forward);
  child.on('error', (err) => {
    console.error(`form-studio: could not start the CLI: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so the caller sees what happened.
      for (const s of SIGNALS) process.off(s, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

const sources = ['src-main', 'src-shared'].map((d) => join(root, d)).filter(existsSync);
const fresh =
  existsSync(bundle) &&
  process.env.FORM_STUDIO_CLI !== 'tsx' &&
  statSync(bundle).mtimeMs >= Math.max(0, ...sources.map(newestSource));
if (fresh) await import(pathToFileURL(bundle).href);
else runSources();
