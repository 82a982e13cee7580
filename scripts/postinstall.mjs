// Runs after `npm install`: builds the offline pose-model bundles when the builder exists.
// Never fails the install: a missing bundle is reported by the app with the command that fixes it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
if (existsSync(new URL('./build-assets.ts', import.meta.url))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL('./build-assets.ts', import.meta.url).pathname], {
    stdio: 'inherit',
  });
  if (r.status !== 0) console.warn('[form-studio] asset build failed; run `npm run build:assets` to retry.');
}
