import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../src/engine/duckdb/index.js';
import { rewrapRoomKeys } from '../../src/engine/duckdb/room-keys.js';
import { checkMasterKeyFits, resolveMasterKey } from '../../src/node/keys/master-key.js';
import { KeyRing } from '../../src/node/keys/key-ring.js';
import { rotateMasterKey } from '../../src/node/keys/rotate-master-key.js';
import { keyIdOf } from '../../src/server/auth/api-key.js';
import { resolveOperatorKey } from '../../src/server/secrets.js';
import { tempDir } from '../helpers/run-cleanroom.js';

describe('the operator and master keys', () => {
  it('generates the operator key once into a 0600 file and reads it back after', async () => {
    const path = join(tempDir('cleanroom-secrets-'), 'operator.key');
    const first = await resolveOperatorKey(path, undefined);
    expect(first.created).toBe(true);
    expect(keyIdOf(first.key)).toBeDefined();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await resolveOperatorKey(path, undefined)).toEqual({ key: first.key, created: false });
    expect(await resolveOperatorKey(path, 'x'.repeat(40))).toEqual({ key: 'x'.repeat(40), created: false });
    await expect(resolveOperatorKey(path, 'short')).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('without a source, generates the master key once in the data dir (hex, 0600), and refuses a bad file', async () => {
    const dir = tempDir('cleanroom-secrets-');
    const { key, source } = await resolveMasterKey(dir);
    expect(source).toBe('default');
    expect(key).toHaveLength(32);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await resolveMasterKey(dir)).key).equals(Buffer.from(key))).toBe(true);
    expect(readFileSync(join(dir, 'master.key'), 'utf8').trim()).toBe(Buffer.from(key).toString('hex'));
    writeFileSync(join(dir, 'master.key'), 'zz');
    await expect(resolveMasterKey(dir)).rejects.toThrow(`Cannot use the master key from ${join(dir, 'master.key')}: expected 64 hex characters`);
  });

  it('takes it from the environment, a file that must exist, or a command (a KMS client), exactly one of them', async () => {
    const dir = tempDir('cleanroom-secrets-');
    const hex = randomBytes(32).toString('hex');
    expect(Buffer.from((await resolveMasterKey(dir, { env: hex })).key).toString('hex')).toBe(hex);
    writeFileSync(join(dir, 'outside.key'), `${hex}\n`);
    expect((await resolveMasterKey(dir, { file: join(dir, 'outside.key') })).source).toBe('file');
    await expect(resolveMasterKey(dir, { file: join(dir, 'missing.key') })).rejects.toThrow(`Cannot read the master key file ${join(dir, 'missing.key')}: no such file`);
    const fromCommand = await resolveMasterKey(dir, { command: `printf '%s\\n' ${hex}` });
    expect(fromCommand.source).toBe('command');
    expect(Buffer.from(fromCommand.key).toString('hex')).toBe(hex);
    await expect(resolveMasterKey(dir, { command: 'echo "vault: permission denied" >&2; exit 3' })).rejects.toThrow('it exited with 3 (vault: permission denied)');
    await expect(resolveMasterKey(dir, { command: 'echo not-a-key' })).rejects.toThrow('from the output of the command "echo not-a-key": expected 64 hex characters');
    await expect(resolveMasterKey(dir, { env: hex, command: 'true' })).rejects.toThrow('it is given 2 ways (env, command)');
    await expect(resolveMasterKey(dir, { env: 'not hex' })).rejects.toMatchObject({ code: 'invalid_argument' });
    // None of that made a key file in the data dir.
    expect(() => statSync(join(dir, 'master.key'))).toThrow();
  });

  it('refuses a master key that is not the one the data dir was sealed with, naming the check file', async () => {
    const dir = tempDir('cleanroom-secrets-');
    const key = randomBytes(32);
    await checkMasterKeyFits(dir, key);
    await checkMasterKeyFits(dir, key);
    await expect(checkMasterKeyFits(dir, randomBytes(32))).rejects.toThrow(`it is not the key its data was sealed with (checked against ${join(dir, 'master.check')})`);
    // A sealed data dir whose key was moved out: no new key is made in its place.
    await expect(resolveMasterKey(dir)).rejects.toThrow(`Cannot find the master key of ${dir}: it holds sealed data`);
    expect(() => statSync(join(dir, 'master.key'))).toThrow();
  });
});

describe('rotate-master-key', () => {
  it('re-wraps every room key and data key, leaves the sealed data as it is, and can be run again after a stop half way', async () => {
    const dataDir = tempDir('cleanroom-rotate-');
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    await checkMasterKeyFits(dataDir, oldKey);
    const workDir = join(tempDir('cleanroom-rotate-work-'), 'rooms');
    const engine = createDuckDbEngine({ dataDir, masterKey: oldKey, workDir });
    for (const id of ['c_1', 'c_2']) await (await engine.openRoom(id, { create: true })).close();
    await engine.close();
    const ring = await KeyRing.open(join(dataDir, 'keys'), oldKey);
    const storeKey = await ring.keyFor('c_1');
    const sealed = readFileSync(join(dataDir, 'collaborations', 'c_1', 'room.sealed'));

    await expect(rotateMasterKey(dataDir, randomBytes(32), newKey)).rejects.toThrow('it is not the key its data was sealed with');
    // A rotation that stopped after the first room: running it again finishes the rest.
    await rewrapRoomKeys(join(dataDir, 'keys', 'c_1.room.json'), { from: oldKey, to: newKey, collaborationId: 'c_1' });
    expect(await rotateMasterKey(dataDir, oldKey, newKey)).toEqual({ rooms: 1, dataKeys: 1 });
    expect(readFileSync(join(dataDir, 'collaborations', 'c_1', 'room.sealed'))).toEqual(sealed);
    await expect(checkMasterKeyFits(dataDir, oldKey)).rejects.toThrow();
    const again = createDuckDbEngine({ dataDir, masterKey: newKey, workDir });
    await expect(again.openRoom('c_1')).resolves.toBeDefined();
    await again.close();
    expect((await (await KeyRing.open(join(dataDir, 'keys'), newKey)).keyFor('c_1')).equals(storeKey)).toBe(true);
    const stale = createDuckDbEngine({ dataDir, masterKey: oldKey, workDir });
    await expect(stale.openRoom('c_2')).rejects.toThrow('the master key does not unwrap its keys');
    await stale.close();
  });
});
