// `npm start`: the desktop app when Electron's binary is installed, otherwise browser mode.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });

function electronBinary() {
  try {
    delete require.cache[require.resolve('electron')];
    const p = require('electron'); // the package exports the binary's path
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

if (
  !existsSync('dist/renderer/index.html') ||
  !existsSync('dist/main/electron.cjs') ||
  process.env.FORM_STUDIO_REBUILD
) {
  const b = run('npm', ['run', 'build']);
  if (b.status !== 0) process.exit(b.status ?? 1);
}
// The electron package's own download runs here, on demand, not at `npm install` (which must work offline).
let electron = electronBinary();
if (!electron && !process.env.FORM_STUDIO_BROWSER && existsSync('node_modules/electron/install.js')) {
  console.log('Fetching the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, ['node_modules/electron/install.js'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    encoding: 'utf8',
  });
  if (r.status === 0) electron = electronBinary();
  else {
    const why =
      `${r.stderr ?? ''}`.split('\n').find((l) => /Error|ENOTFOUND|EAI_AGAIN|ECONN/.test(l)) ?? 'download failed';
    console.log(`Could not fetch Electron (${why.trim().slice(0, 160)}).`);
  }
}
if (electron) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed here; starting browser mode (same app, served on 127.0.0.1).');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  child.on('exit', (code) => process.exit(code ?? 0));
}
