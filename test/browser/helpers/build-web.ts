import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

/**
 * Builds the web UI with its own Vite config into a fresh directory (so parallel test
 * files never share one) and returns that directory.
 *
 * @example
 * ```ts
 * const dist = await buildWeb();
 * ```
 */
export async function buildWeb(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cleanroom-web-'));
  await build({ configFile: join(process.cwd(), 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}
