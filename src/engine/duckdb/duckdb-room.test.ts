import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createDuckDbEngine } from './duckdb-engine.js';
import type { RoomFixture } from './room-fixture.js';
import { PEOPLE_PLAN, peopleCsv, roomFixture, sha256Hex } from './room-fixture.js';

let fixture: RoomFixture | undefined;

afterEach(async () => {
  await fixture?.dispose();
  fixture = undefined;
});

const roomDir = (f: RoomFixture, id = 'collab-test'): string => join(f.dir, 'data', 'collaborations', id);

describe('rooms on disk', () => {
  test('a room is one private directory: the database, the wrapped keys and a temp directory', async () => {
    fixture = await roomFixture();
    expect((await readdir(roomDir(fixture))).sort()).toEqual(['room-keys.json', 'room.duckdb', 'tmp']);
    const keysFile = await readFile(join(roomDir(fixture), 'room-keys.json'), 'utf8');
    expect(keysFile).toContain('aes-256-gcm');
  });

  test('opening a room that does not exist is not_found unless create is set', async () => {
    fixture = await roomFixture();
    await expect(fixture.engine.openRoom('collab-missing')).rejects.toMatchObject({ code: 'not_found' });
    expect(await fixture.engine.roomExists('collab-missing')).toBe(false);
  });

  test('a collaboration id that would leave the data directory is refused', async () => {
    fixture = await roomFixture();
    await expect(fixture.engine.openRoom('../escape', { create: true })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(fixture.engine.openRoom('a/b', { create: true })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  test('a closed room reopens with its data; a wrong master key cannot open it', async () => {
    fixture = await roomFixture();
    await fixture.room.loadCsv(await fixture.file('p.csv', peopleCsv(20)), PEOPLE_PLAN);
    await fixture.engine.close();
    const again = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, encryption: 'preferred' });
    const room = await again.openRoom('collab-test');
    expect((await room.query('SELECT count(*) AS n FROM people')).rows).toEqual([{ n: 20 }]);
    await again.close();
    const thief = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: new Uint8Array(32), encryption: 'preferred' });
    await expect(thief.openRoom('collab-test')).rejects.toThrow('the master key does not unwrap its keys');
    await thief.close();
  });

  test('two engines of one process cannot open the same room file', async () => {
    fixture = await roomFixture();
    const second = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, encryption: 'preferred' });
    await expect(second.openRoom('collab-test')).rejects.toThrow('another engine in this process has it open');
    await second.close();
  });

  test('destroying a collaboration removes its data, its keys and every file', async () => {
    fixture = await roomFixture();
    await fixture.room.loadCsv(await fixture.file('p.csv', peopleCsv(20)), PEOPLE_PLAN);
    await fixture.room.destroy();
    await expect(access(roomDir(fixture))).rejects.toThrow();
    expect(await fixture.engine.roomExists('collab-test')).toBe(false);
    await expect(fixture.room.query('SELECT 1 AS x')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(fixture.engine.openRoom('collab-test')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('encryption at rest', () => {
  test("'required' refuses to create a room DuckDB cannot encrypt, and leaves nothing behind", async () => {
    // This build has no httpfs (OpenSSL) installed and autoinstall is off.
    const error = await roomFixture({ encryption: 'required' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'io_error' });
    expect(String((error as Error).message)).toContain('httpfs');
  });

  test("'preferred' without secure crypto stores the room plainly and says so", async () => {
    fixture = await roomFixture({ encryption: 'preferred' });
    expect(fixture.room.encryptedAtRest).toBe(false);
  });

  test('an encrypted room holds no readable data in its file and reopens with its key', async () => {
    // DuckDB's mbedtls fallback exercises the same code path as OpenSSL would; never in production.
    fixture = await roomFixture({ encryption: 'required', unsafeMbedtlsEncryptionForTests: true });
    expect(fixture.room.encryptedAtRest).toBe(true);
    const marker = 'MARKER-SEGMENT-90210';
    await fixture.room.loadCsv(await fixture.file('p.csv', `email,segment,revenue\n${sha256Hex('z')},${marker},1\n`), PEOPLE_PLAN);
    const bytes = await readFile(join(roomDir(fixture), 'room.duckdb'));
    expect(bytes.includes(Buffer.from(marker))).toBe(false);
    expect(bytes.includes(Buffer.from('people__v1'))).toBe(false);
    expect((await fixture.room.query('SELECT segment FROM people')).rows).toEqual([{ segment: marker }]);
  });
});

describe('custom SQL trees', () => {
  test('parseSql gives the engine’s tree without running it; printSql re-emits it, and the room runs the text', async () => {
    fixture = await roomFixture();
    await fixture.room.loadCsv(await fixture.file('p.csv', peopleCsv(20)), PEOPLE_PLAN);
    const tree = (await fixture.room.parseSql('SELECT count(*) AS n FROM people')) as { statements: { node: { type: string } }[] };
    expect(tree.statements[0]!.node.type).toBe('SELECT_NODE');
    const text = await fixture.room.printSql(tree);
    expect(text).toContain('count_star()');
    expect((await fixture.room.query(text)).rows).toEqual([{ n: 20 }]);
    // Parsing is not running: a statement that would write parses into an error tree, nothing more.
    expect(await fixture.room.parseSql('DROP TABLE people')).toMatchObject({ error: true });
    expect((await fixture.room.query('SELECT count(*) AS n FROM people')).rows).toEqual([{ n: 20 }]);
    expect(((await fixture.room.parseSql('SELECT 1; SELECT 2')) as { statements: unknown[] }).statements).toHaveLength(2);
    await expect(fixture.room.parseSql('SELEC 1')).rejects.toMatchObject({ code: 'refused' });
    await expect(fixture.room.printSql({ error: false, statements: [{ node: { type: 'NOT_A_NODE' } }] })).rejects.toMatchObject({ code: 'refused' });
  });

  test('a closed room parses nothing', async () => {
    fixture = await roomFixture();
    await fixture.room.close();
    await expect(fixture.room.parseSql('SELECT 1')).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
