import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { noNodeBuiltins } from '../../web/no-node-builtins.js';

// The UI build's guard: core's Node hasher (node:crypto) must never reach the bundle.
async function bundle(source: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cleanroom-guard-'));
  writeFileSync(join(dir, 'entry.js'), source);
  await build({ root: dir, logLevel: 'silent', configFile: false, plugins: [noNodeBuiltins()], build: { outDir: join(dir, 'out'), write: false, lib: { entry: join(dir, 'entry.js'), formats: ['es'] } } });
}

describe('noNodeBuiltins', () => {
  it('fails a build that reaches node:crypto through core, naming the importer', async () => {
    const chunkSettings = join(process.cwd(), 'src', 'core', 'prepare', 'chunk-settings.ts');
    await expect(bundle(`import { buildChunkSettings } from ${JSON.stringify(chunkSettings)}; console.log(buildChunkSettings);`)).rejects.toThrow(/(chunk-settings|hash-identifier)\.ts: it imports the Node built-in 'node:crypto'/);
  });

  it('fails on a bare built-in name too', async () => {
    await expect(bundle(`import { readFileSync } from 'fs'; console.log(readFileSync);`)).rejects.toThrow(/Node built-in 'fs'/);
  });

  it('lets the browser preparation through', async () => {
    const entry = join(process.cwd(), 'web', 'src', 'prepare', 'chunk-job.ts');
    await expect(bundle(`import { createChunkPreparer } from ${JSON.stringify(entry)}; console.log(createChunkPreparer);`)).resolves.toBeUndefined();
  });
});
