#!/usr/bin/env node
// Runs the CLI bundle (dist/cli, built by `npm run build`) in this process when it is newer than the sources:
// no TypeScript compile at start-up. Otherwise (a checkout being edited, or not built) runs the sources through
// tsx (a runtime dependency), so the CLI and the app always share one codebase.
import { spawnSync } from 'node:child_process';
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

const sources = ['src-main', 'src-shared'].map((d) => join(root, d)).filter(existsSync);
const fresh = existsSync(bundle) && process.env.FORM_STUDIO_CLI !== 'tsx' && statSync(bundle).mtimeMs >= Math.max(0, ...sources.map(newestSource));
if (fresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'cli', 'entry.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
