import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRoomKeys, readRoomKeys } from './room-keys.js';

let dir: string;
let path: string;
const masterKey = randomBytes(32);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cleanroom-keys-'));
  path = join(dir, 'room-keys.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('room keys', () => {
  test('are random, wrapped on disk (mode 0600) and unwrap to the same bytes', async () => {
    const created = await createRoomKeys(path, { masterKey, collaborationId: 'c1', encryptedAtRest: true });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(created.hmacKey.toString('base64'));
    expect(text).not.toContain(created.dataKey.toString('base64'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const read = await readRoomKeys(path, { masterKey, collaborationId: 'c1' });
    expect(read).toEqual(created);
    expect(created.dataKey.equals(created.hmacKey)).toBe(false);
  });

  test('a wrong master key, another room id or a flipped flag cannot unwrap them', async () => {
    await createRoomKeys(path, { masterKey, collaborationId: 'c1', encryptedAtRest: true });
    await expect(readRoomKeys(path, { masterKey: randomBytes(32), collaborationId: 'c1' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(readRoomKeys(path, { masterKey, collaborationId: 'c2' })).rejects.toMatchObject({ code: 'invalid_argument' });
    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...file, encryptedAtRest: false }));
    await expect(readRoomKeys(path, { masterKey, collaborationId: 'c1' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  test('a master key of the wrong length is refused', async () => {
    await expect(createRoomKeys(path, { masterKey: randomBytes(16), collaborationId: 'c1', encryptedAtRest: false })).rejects.toThrow(
      'Cannot use the master key: it must be 32 bytes, current length is 16',
    );
  });
});
