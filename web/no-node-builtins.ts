import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const NODE_BUILTINS = new Set(builtinModules);

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
      if (source.startsWith('node:') || NODE_BUILTINS.has(source)) {
        this.error(`Cannot bundle ${importer ?? 'the UI'}: it imports the Node built-in '${source}', which the browser does not have`);
      }
      return null;
    },
  };
}
