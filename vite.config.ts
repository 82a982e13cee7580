import { defineConfig } from 'vite';

// The renderer: built once, served by Electron's app:// protocol or by the web host.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  publicDir: '../assets/generated',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
