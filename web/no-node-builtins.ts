import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const NODE_BUILTINS = new Set(builtinModules);
const EMPTY = '\0cleanroom-empty-crypto';

/**
 * A Vite plugin that fails the build when anything imports a Node built-in: the UI
 * prepares identifiers in the browser, and a `node:crypto` that slipped in would break it
 * at run time, not here.
 *
 * @example
 * ```ts
 * defineConfig({ plugins: [noNodeBuiltins()], worker: { plugins: () => [noNodeBuiltins()] } });
 * ```
 */
export function noNodeBuiltins(): Plugin {
  return {
    name: 'cleanroom-no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      // libsodium's Emscripten build reaches for Node's `crypto` only when the platform has no
      // Web Crypto (its fallback inside a try); every browser has it, so that one import gets an
      // empty module rather than failing the build.
      if (source === 'crypto' && importer !== undefined && /[\\/]libsodium-sumo[\\/]/.test(importer)) return EMPTY;
      if (source.startsWith('node:') || NODE_BUILTINS.has(source)) {
        this.error(`Cannot bundle ${importer ?? 'the UI'}: it imports the Node built-in '${source}', which the browser does not have`);
      }
      return null;
    },
    load(id) {
      return id === EMPTY ? 'export default {};' : null;
    },
  };
}
