import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { noNodeBuiltins } from './no-node-builtins.js';

// The UI: `npm run build:web` writes web/dist, which `cleanroom serve` serves; the API is
// same-origin under /v1. `vite --config web/vite.config.ts` serves it for development,
// proxying /v1 to a server on CLEANROOM_API (default http://127.0.0.1:8080).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [noNodeBuiltins()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es', plugins: () => [noNodeBuiltins()] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { host: '127.0.0.1', proxy: { '/v1': process.env.CLEANROOM_API ?? 'http://127.0.0.1:8080' } },
});
