import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const NODE_BUILTINS = new Set(builtinModules);

/**
 * Fails the build when anything imports a Node built-in: the UI prepares identifiers in the
 * browser, and a `node:crypto` that slipped in would break it at run time, not here.
 */
function noNodeBuiltins(): Plugin {
  return {
    name: 'cleanroom-no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:') || NODE_BUILTINS.has(source)) {
        this.error(`Cannot bundle ${importer ?? 'the UI'}: it imports the Node built-in '${source}', which the browser does not have`);
      }
      return null;
    },
  };
}

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
