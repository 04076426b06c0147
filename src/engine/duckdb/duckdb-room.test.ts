import { access, copyFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
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
  test('a room is one private directory with the sealed database, its wrapped keys are in the key store, its plaintext copy in the work dir', async () => {
    fixture = await roomFixture();
    expect((await readdir(roomDir(fixture))).sort()).toEqual(['room.sealed']);
    expect((await readdir(join(fixture.workDir, 'collab-test'))).sort()).toEqual(['room.duckdb', 'tmp']);
    expect((await stat(join(fixture.workDir, 'collab-test'))).mode & 0o777).toBe(0o700);
    // Its keys are in the data dir's key store, apart from the data (backups may leave them out).
    const keysFile = await readFile(join(fixture.dir, 'data', 'keys', 'collab-test.room.json'), 'utf8');
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
    const again = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, workDir: fixture.workDir });
    const room = await again.openRoom('collab-test');
    expect((await room.query('SELECT count(*) AS n FROM people')).rows).toEqual([{ n: 20 }]);
    await again.close();
    const thief = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: new Uint8Array(32), workDir: fixture.workDir });
    await expect(thief.openRoom('collab-test')).rejects.toThrow('the master key does not unwrap its keys');
    await thief.close();
  });

  test('two engines of one process cannot open the same room file', async () => {
    fixture = await roomFixture();
    const second = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, workDir: fixture.workDir });
    await expect(second.openRoom('collab-test')).rejects.toThrow('another engine in this process has it open');
    await second.close();
  });

  test('destroying a collaboration removes its data, its keys and every file', async () => {
    fixture = await roomFixture();
    await fixture.room.loadCsv(await fixture.file('p.csv', peopleCsv(20)), PEOPLE_PLAN);
    await fixture.room.destroy();
    await expect(access(roomDir(fixture))).rejects.toThrow();
    await expect(access(join(fixture.dir, 'data', 'keys', 'collab-test.room.json'))).rejects.toThrow();
    await expect(access(join(fixture.workDir, 'collab-test'))).rejects.toThrow();
    expect(await fixture.engine.roomExists('collab-test')).toBe(false);
    await expect(fixture.room.query('SELECT 1 AS x')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(fixture.engine.openRoom('collab-test')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('encryption at rest', () => {
  const marker = 'MARKER-SEGMENT-90210';
  const load = async (f: RoomFixture): Promise<void> => {
    await f.room.loadCsv(await f.file('p.csv', `email,segment,revenue\n${sha256Hex('z')},${marker},1\n`), PEOPLE_PLAN);
  };

  test('a sealed room holds no readable data on disk, drops its plaintext when it closes, and reopens with its key', async () => {
    fixture = await roomFixture();
    expect(fixture.room.encryptedAtRest).toBe(true);
    await load(fixture);
    const bytes = await readFile(join(roomDir(fixture), 'room.sealed'));
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('CRSEAL01');
    expect(bytes.includes(Buffer.from(marker))).toBe(false);
    expect(bytes.includes(Buffer.from('people__v1'))).toBe(false);
    expect((await fixture.room.query('SELECT segment FROM people')).rows).toEqual([{ segment: marker }]);
    await fixture.engine.close();
    await expect(access(join(fixture.workDir, 'collab-test'))).rejects.toThrow();
    const again = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, workDir: fixture.workDir });
    expect((await (await again.openRoom('collab-test')).query('SELECT segment FROM people')).rows).toEqual([{ segment: marker }]);
    await again.close();
  });

  test("'off' keeps the room a plain DuckDB file (where the marker is readable: the check above can fail)", async () => {
    fixture = await roomFixture({ encryption: 'off' });
    expect(fixture.room.encryptedAtRest).toBe(false);
    await load(fixture);
    expect((await readFile(join(roomDir(fixture), 'room.duckdb'))).includes(Buffer.from(marker))).toBe(true);
  });

  test('a tampered or truncated sealed room does not open, names its file, and is left as it was', async () => {
    fixture = await roomFixture();
    await load(fixture);
    await fixture.engine.close();
    const sealed = join(roomDir(fixture), 'room.sealed');
    const good = await readFile(sealed);
    const open = (): Promise<unknown> => {
      const engine = createDuckDbEngine({ dataDir: join(fixture!.dir, 'data'), masterKey: fixture!.masterKey, workDir: fixture!.workDir });
      return engine.openRoom('collab-test').finally(() => engine.close());
    };
    const flipped = Buffer.from(good);
    flipped[good.length - 40]! ^= 1;
    await writeFile(sealed, flipped);
    await expect(open()).rejects.toThrow(`Cannot open the room of collaboration collab-test: Cannot read ${sealed}: chunk`);
    expect(await readFile(sealed)).toEqual(flipped);
    await expect(access(join(fixture.workDir, 'collab-test'))).rejects.toThrow();
    await writeFile(sealed, good.subarray(0, good.length - 100));
    await expect(open()).rejects.toMatchObject({ code: 'io_error', details: { file: sealed } });
    await writeFile(sealed, good);
    await expect(open()).resolves.toBeDefined();
  });

  test('a step that is not durable is in the working copy at once, on disk only after persist (or close)', async () => {
    fixture = await roomFixture();
    await load(fixture);
    const sealed = join(roomDir(fixture), 'room.sealed');
    const before = await readFile(sealed);
    await fixture.room.execute([{ sql: 'CREATE TABLE step AS SELECT 42 AS x' }], { durable: false });
    expect((await fixture.room.query('SELECT x FROM step')).rows).toEqual([{ x: 42 }]);
    // What a crash now would leave on disk: the room as it was.
    expect(await readFile(sealed)).toEqual(before);
    await Promise.all([fixture.room.persist(), fixture.room.query('SELECT count(*) AS n FROM people')]);
    expect((await readFile(sealed)).equals(before)).toBe(false);
    await fixture.room.execute([{ sql: 'CREATE TABLE later AS SELECT 7 AS y' }], { durable: false });
    await fixture.engine.close();
    const again = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, workDir: fixture.workDir });
    const room = await again.openRoom('collab-test');
    expect((await room.query('SELECT x, y FROM step, later')).rows).toEqual([{ x: 42, y: 7 }]);
    await again.close();
  });

  test('destroyRoom shreds a room that is not open, even one whose sealed file is damaged', async () => {
    fixture = await roomFixture();
    await load(fixture);
    await fixture.room.close();
    await writeFile(join(roomDir(fixture), 'room.sealed'), 'damaged');
    await fixture.engine.destroyRoom('collab-test');
    await expect(access(roomDir(fixture))).rejects.toThrow();
    expect(await fixture.engine.roomExists('collab-test')).toBe(false);
    await fixture.engine.destroyRoom('collab-never');
  });

  test('a sealed room of one collaboration put in place of another does not open', async () => {
    fixture = await roomFixture();
    await load(fixture);
    const other = await fixture.engine.openRoom('collab-other', { create: true });
    await other.close();
    await fixture.engine.close();
    await copyFile(join(roomDir(fixture), 'room.sealed'), join(roomDir(fixture, 'collab-other'), 'room.sealed'));
    const engine = createDuckDbEngine({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, workDir: fixture.workDir });
    await expect(engine.openRoom('collab-other')).rejects.toThrow('does not authenticate');
    await engine.close();
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
