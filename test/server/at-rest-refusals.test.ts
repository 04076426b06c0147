import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { tempDir } from '../helpers/run-cleanroom.js';

const OPERATOR = 'operator-key-for-the-refusal-test-0123456789';
const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');
const quiet = { write: () => true };

/** Every file under `dir` with the digest of its bytes: what "nothing is overwritten" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'server.lock.owner') out[path.slice(dir.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const start = (dataDir: string, masterKey: Buffer) =>
  startServer({ dataDir, templatesDir: TEMPLATES, port: 0, env: { CLEANROOM_OPERATOR_KEY: OPERATOR, CLEANROOM_MASTER_KEY: masterKey.toString('hex') }, out: quiet as unknown as NodeJS.WritableStream, logTo: quiet as never });

describe('a sealed data dir refuses what does not fit, and changes nothing', () => {
  it('refuses a wrong master key at start, naming the check file, and a changed record, naming it', async () => {
    const dataDir = join(tempDir('cleanroom-refuse-'), 'data');
    const masterKey = randomBytes(32);
    const server = await start(dataDir, masterKey);
    const call = (key: string, path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const a = (await (await call(OPERATOR, '/v1/parties', { name: 'A' })).json()) as { id: string; apiKey: string };
    const b = (await (await call(OPERATOR, '/v1/parties', { name: 'B' })).json()) as { id: string };
    const c = (await (await call(a.apiKey, '/v1/collaborations', { name: 'x', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } })).json()) as { id: string };
    await server.close();

    const before = snapshot(dataDir);
    await expect(start(dataDir, randomBytes(32))).rejects.toThrow(`it is not the key its data was sealed with (checked against ${join(dataDir, 'master.check')})`);
    expect(snapshot(dataDir)).toEqual(before);

    const record = join(dataDir, 'store', 'collaborations', `${c.id}.json`);
    const bytes = readFileSync(record);
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(record, bytes);
    const tampered = snapshot(dataDir);
    await expect(start(dataDir, masterKey)).rejects.toThrow(`Cannot read ${record}: chunk 0`);
    expect(snapshot(dataDir)).toEqual(tampered);
    writeFileSync(record, bytes.subarray(0, 30));
    await expect(start(dataDir, masterKey)).rejects.toThrow(`Cannot read ${record}: it is truncated`);
  });
});
