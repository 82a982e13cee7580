/**
 * Bundle the command line (dist/cli/form-studio.mjs + chunks) so `form-studio` starts without compiling
 * TypeScript at every run; tsx stays for development (bin/form-studio.js uses it when the bundle is missing
 * or older than the sources). ESM with code splitting: the commands chunk, which pulls in tfjs, loads only
 * for a command, not for --help. npm packages stay external: Node loads them as installed.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
await build({
  // predict-worker: the inference helper thread (src-main/models/predict-helper.ts).
  entryPoints: { 'form-studio': 'src-main/cli/entry.ts', 'predict-worker': 'src-main/models/predict-worker.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
});
console.log('built dist/cli/form-studio.mjs');
