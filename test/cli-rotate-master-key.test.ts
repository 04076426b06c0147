import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/server/main.js';
import { cliInProcess } from './helpers/cli-in-process.js';
import { tempDir } from './helpers/run-cleanroom.js';

const OPERATOR = 'operator-key-for-the-rotation-test-0123456789';
const quiet = { write: () => true };

describe('cleanroom rotate-master-key', () => {
  it('moves a data dir to a new key made in a file of its own; the server then opens it with that key only', async () => {
    const dir = tempDir('cleanroom-rotate-cli-');
    const dataDir = join(dir, 'data');
    const start = (env: Record<string, string>) => startServer({ dataDir, templatesDir: join(import.meta.dirname, '..', 'templates'), port: 0, env: { CLEANROOM_OPERATOR_KEY: OPERATOR, ...env }, out: quiet as unknown as NodeJS.WritableStream, logTo: quiet as never });
    const server = await start({});
    const call = (key: string, path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const a = (await (await call(OPERATOR, '/v1/parties', { name: 'A' })).json()) as { id: string; apiKey: string };
    const b = (await (await call(OPERATOR, '/v1/parties', { name: 'B' })).json()) as { id: string };
    const c = (await (await call(a.apiKey, '/v1/collaborations', { name: 'kept', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } })).json()) as { id: string };
    // A running server holds the data dir: the rotation waits for no one and refuses.
    const busy = await cliInProcess(['rotate-master-key', '--data-dir', dataDir, '--new-key-file', join(dir, 'new.key')]);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('another cleanroom server holds it');
    await server.close();

    const oldKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
    const rotated = await cliInProcess(['rotate-master-key', '--data-dir', dataDir, '--new-key-file', join(dir, 'new.key'), '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ rooms: 1, dataKeys: 1, madeNewKey: true, replacedDefaultKeyFile: true });
    expect(statSync(join(dir, 'new.key')).mode & 0o777).toBe(0o600);
    const newKey = readFileSync(join(dir, 'new.key'), 'utf8').trim();
    expect(readFileSync(join(dataDir, 'master.key'), 'utf8').trim()).toBe(newKey);

    await expect(start({ CLEANROOM_MASTER_KEY: oldKey })).rejects.toThrow('it is not the key its data was sealed with');
    const again = await start({ CLEANROOM_MASTER_KEY: newKey });
    try {
      const got = await fetch(`${again.url}/v1/collaborations/${c.id}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
      expect(got.status).toBe(200);
      expect(((await got.json()) as { encryptedAtRest: boolean }).encryptedAtRest).toBe(true);
    } finally {
      await again.close();
    }
    const same = await cliInProcess(['rotate-master-key', '--data-dir', dataDir, '--new-key-file', join(dir, 'new.key')], { CLEANROOM_MASTER_KEY: newKey });
    expect(same.code).toBe(64);
    expect(same.stderr).toContain('it is the current master key');
  });
});
