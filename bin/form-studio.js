#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a runtime dependency), so the CLI and the app share one codebase.
// The CLI runs in a child process: signals sent to this wrapper (SIGTERM from a service manager, Ctrl+C,
// Ctrl+Break on Windows) are passed on, and the wrapper exits the way the child did, so stopping the
// wrapper never leaves a server running and listening.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'cli', 'index.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
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
