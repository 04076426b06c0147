import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../src/engine/duckdb/index.js';
import { KeyRing } from '../../src/node/keys/key-ring.js';
import { StoreCipher } from '../../src/node/keys/store-cipher.js';
import { FileCollaborationStore } from '../../src/node/store/file-collaboration-store.js';
import { startServer } from '../../src/server/main.js';
import { tempDir } from '../helpers/run-cleanroom.js';

const OPERATOR = 'operator-key-for-the-shredding-test-0123456789';
const TEMPLATES = join(import.meta.dirname, '..', 'fixtures', 'at-rest');
const quiet = { write: () => true };

// Issue 15: deleting a collaboration destroys its keys first, so a backup of its data taken
// before the deletion is unreadable after it, whatever master key a thief holds.
describe('deleting a collaboration (crypto-shredding)', () => {
  it('is the operator’s, removes keys first and every file, and leaves a backup of the data unreadable', async () => {
    const dir = tempDir('cleanroom-shred-');
    const dataDir = join(dir, 'data');
    const masterKey = randomBytes(32);
    const server = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, env: { CLEANROOM_OPERATOR_KEY: OPERATOR, CLEANROOM_MASTER_KEY: masterKey.toString('hex') }, out: quiet as unknown as NodeJS.WritableStream, logTo: quiet as never });
    const call = async (key: string, method: string, path: string, body?: unknown) => fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    let id = '';
    try {
      const a = (await (await call(OPERATOR, 'POST', '/v1/parties', { name: 'A' })).json()) as { id: string; apiKey: string };
      const b = (await (await call(OPERATOR, 'POST', '/v1/parties', { name: 'B' })).json()) as { id: string; apiKey: string };
      const c = (await (await call(a.apiKey, 'POST', '/v1/collaborations', { name: 'to delete', template: 'every-kind', members: { publisher: a.id, retailer: b.id } })).json()) as { id: string; templateDigest: string; encryptedAtRest: boolean };
      id = c.id;
      expect(c.encryptedAtRest).toBe(true);
      await call(a.apiKey, 'POST', `/v1/collaborations/${id}/attestations`, { termsVersion: '1', templateDigest: c.templateDigest });
      const csv = `user_id,campaign,segment,test_group,exposed_at,email\n${Array.from({ length: 120 }, (_, i) => `u${i},c,s,exposed,2026-03-01T00:00:00Z,${randomBytes(32).toString('hex')}`).join('\n')}\n`;
      expect((await fetch(`${server.url}/v1/collaborations/${id}/datasets/audience`, { method: 'PUT', headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'text/csv' }, body: csv })).status).toBe(201);

      // The backup an operator takes of the data, its key store left out (docs/encryption.md).
      const backup = join(dir, 'backup');
      cpSync(dataDir, backup, { recursive: true, filter: (source) => !source.startsWith(join(dataDir, 'keys')) });

      expect((await call(a.apiKey, 'DELETE', `/v1/collaborations/${id}`)).status).toBe(403);
      expect((await call(OPERATOR, 'DELETE', `/v1/collaborations/${id}`)).status).toBe(204);
      expect((await call(OPERATOR, 'DELETE', `/v1/collaborations/${id}`)).status).toBe(404);
      expect((await call(a.apiKey, 'GET', `/v1/collaborations/${id}`)).status).toBe(404);
    } finally {
      await server.close();
    }
    for (const gone of [join('keys', `${id}.room.json`), join('keys', `${id}.store.json`), join('collaborations', id), join('store', 'collaborations', `${id}.json`), join('store', 'runs', id), join('audit', `${id}.jsonl`), join('blind', id)]) {
      expect(existsSync(join(dataDir, gone)), gone).toBe(false);
    }
    expect(readdirSync(join(dataDir, 'keys'))).toEqual([]);

    // The backup's sealed room and records, put back, open with nothing this data dir has.
    const backup = join(dir, 'backup');
    cpSync(join(backup, 'collaborations', id), join(dataDir, 'collaborations', id), { recursive: true });
    const engine = createDuckDbEngine({ dataDir, masterKey, workDir: join(tempDir('cleanroom-shred-work-'), 'rooms') });
    await expect(engine.openRoom(id)).rejects.toMatchObject({ code: 'not_found' });
    await engine.close();
    expect(readFileSync(join(backup, 'collaborations', id, 'room.sealed')).subarray(0, 8).toString('latin1')).toBe('CRSEAL01');
    await expect(FileCollaborationStore.open(join(backup, 'store'), new StoreCipher(await KeyRing.open(join(dataDir, 'keys'), masterKey)))).rejects.toThrow(`Cannot read ${join(backup, 'store', 'collaborations', `${id}.json`)}: chunk 0`);
  });
});
