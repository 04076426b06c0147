import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/server/auth/api-key.js';
import { resolveMasterKey, resolveOperatorKey } from '../../src/server/secrets.js';
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

  it('generates the master key once (hex, 0600) unless the environment gives one, and refuses a bad one', async () => {
    const dir = tempDir('cleanroom-secrets-');
    const path = join(dir, 'master.key');
    const key = await resolveMasterKey(path, undefined);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await resolveMasterKey(path, undefined)).equals(Buffer.from(key))).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(Buffer.from(key).toString('hex'));
    const fromEnv = await resolveMasterKey(join(dir, 'unused.key'), 'ab'.repeat(32));
    expect(Buffer.from(fromEnv).toString('hex')).toBe('ab'.repeat(32));
    await expect(resolveMasterKey(path, 'not hex')).rejects.toMatchObject({ code: 'invalid_argument' });
    writeFileSync(join(dir, 'bad.key'), 'zz');
    await expect(resolveMasterKey(join(dir, 'bad.key'), undefined)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
