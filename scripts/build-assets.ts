/**
 * `npm run build:assets` (also run by postinstall): builds assets/generated/ offline.
 * Flags: --force (rebuild even when up to date), --out <dir>.
 */
import { buildAssets } from './pose-bundle/build.js';

const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
try {
  const r = await buildAssets({
    force: args.includes('--force'),
    outDir: outIdx >= 0 ? args[outIdx + 1] : undefined,
    log: (m) => console.log(`[build-assets] ${m}`),
  });
  const n = Object.keys(r.manifest.outputs).length;
  console.log(
    `[build-assets] ${r.skipped ? 'skipped (up to date)' : 'done'}: ${n} files, ${(r.ms / 1000).toFixed(2)} s`,
  );
} catch (e) {
  console.error(`[build-assets] FAILED: ${(e as Error).message}`);
  process.exitCode = 1;
}
