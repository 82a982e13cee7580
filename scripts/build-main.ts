/** Bundle the Electron main process and preload (CommonJS, as Electron's sandboxed preload requires). */
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  format: 'cjs' as const,
  sourcemap: false,
  external: ['electron', 'better-sqlite3', '@tensorflow/*', '@litertjs/*', '@ffmpeg-installer/*', 'node-unrar-js'],
  logLevel: 'warning' as const,
  // Shared code uses import.meta.url (ESM); in this CommonJS bundle it becomes the bundle file's URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await build({ ...common, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/main/electron.cjs' });
await build({ ...common, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/main/preload.cjs' });
// The inference helper thread (src-main/models/predict-helper.ts finds it next to electron.cjs).
await build({ ...common, entryPoints: ['src-main/models/predict-worker.ts'], outfile: 'dist/main/predict-worker.cjs' });
console.log('built dist/main/electron.cjs, preload.cjs and predict-worker.cjs');
