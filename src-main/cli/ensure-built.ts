/**
 * Commands that run the app's pose code (keypoints, score on a new video, train extracting first) need the
 * renderer build. Right after `npm install` there is none: build it once, saying so, instead of failing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './args';
import { projectRoot } from './project-root';

function run(what: string, args: string[], root: string): void {
  // Build output goes to stderr: stdout stays the command's own (scripts parse it).
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0)
    throw new CliError(
      `Building the app failed (${what}, exit ${r.status ?? r.signal}): run \`npm run build\` to see why.`,
    );
}

/** The renderer build folder, building it first when it is missing. */
export function ensureRendererBuilt(root = projectRoot()): string {
  const dir = join(root, 'dist', 'renderer');
  if (existsSync(join(dir, 'index.html'))) return dir;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite))
    throw new CliError(
      'The app is not built and its build tools are not installed: run `npm install`, then `npm run build`.',
    );
  console.error('The app is not built yet: building it once (npm run build:renderer; about a minute)…');
  const t0 = Date.now();
  if (!existsSync(join(root, 'assets', 'generated', 'manifest.json')))
    run('pose-model assets', ['--import', 'tsx', join(root, 'scripts', 'build-assets.ts')], root);
  run('renderer', [vite, 'build', '--logLevel', 'warn'], root);
  if (!existsSync(join(dir, 'index.html')))
    throw new CliError('Building the app did not produce dist/renderer/index.html: run `npm run build` to see why.');
  console.error(`Built the app in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
  return dir;
}
