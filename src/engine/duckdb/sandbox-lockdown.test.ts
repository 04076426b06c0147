import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSandbox } from './open-sandbox.js';
import type { Sandbox } from './open-sandbox.js';
import type { RoomFixture } from './room-fixture.js';
import { PEOPLE_PLAN, peopleCsv, roomFixture } from './room-fixture.js';
import { engineSettings } from './engine-settings.js';
import { readRoomKeys } from './room-keys.js';
import { roomPaths } from './room-paths.js';

// The layer under the statement check: raw SQL on a sandbox connection, no parse-tree
// check. What DuckDB's lock-down stops here is defence in depth; what it lets through
// (the last describe block) is why the statement check exists.

let fixture: RoomFixture;
let sandbox: Sandbox;
let connection: DuckDBConnection;
let tempDir: string;

beforeAll(async () => {
  // A plain room: this is about the sandbox, which attaches a sealed room's working copy the same way.
  fixture = await roomFixture({ encryption: 'off' });
  await fixture.room.loadCsv(await fixture.file('people.csv', peopleCsv(50)), PEOPLE_PLAN);
  await fixture.room.close();
  const settings = engineSettings({ dataDir: join(fixture.dir, 'data'), masterKey: fixture.masterKey, encryption: 'off' });
  const paths = roomPaths(settings.dataDir, 'collab-test');
  tempDir = paths.temp;
  const keys = await readRoomKeys(paths.keys, { masterKey: fixture.masterKey, collaborationId: 'collab-test' });
  sandbox = await openSandbox({ collaborationId: 'collab-test', paths, keys, settings });
  connection = await sandbox.connect();
});

afterAll(async () => {
  connection.closeSync();
  sandbox.close();
  await fixture.dispose();
});

async function engineFails(sql: string): Promise<string> {
  const error = await connection.run(sql).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('DuckDB lock-down stops, even without the statement check', () => {
  test('reading /etc/passwd', async () => {
    expect(await engineFails("SELECT * FROM read_text('/etc/passwd')")).toMatch(/disabled by configuration/);
  });
  test('writing outside the temp directory', async () => {
    expect(await engineFails(`COPY (SELECT 1) TO '${fixture.dir}/out.csv'`)).toMatch(/disabled by configuration/);
  });
  test('attaching a file outside the temp directory', async () => {
    expect(await engineFails(`ATTACH '${fixture.dir}/other.duckdb' AS other`)).toMatch(/disabled by configuration/);
  });
  test('changing any setting', async () => {
    expect(await engineFails('SET enable_external_access = true')).toMatch(/locked/);
    expect(await engineFails('SET lock_configuration = false')).toMatch(/locked/);
    expect(await engineFails('SET allowed_directories = []')).toMatch(/locked/);
    expect(await engineFails('SET threads = 64')).toMatch(/locked/);
  });
  test('loading or installing an extension', async () => {
    expect(await engineFails('LOAD httpfs')).toMatch(/disabled/);
    await engineFails('INSTALL httpfs');
  });
  test('writing to the room data (attached read-only)', async () => {
    expect(await engineFails("INSERT INTO people__v1 VALUES ('x', 'a', 1)")).toMatch(/read-only/);
    expect(await engineFails('DROP TABLE people__v1')).toMatch(/read-only/);
    expect(await engineFails('CREATE MACRO count_star() AS 1')).toMatch(/read-only/);
  });
});

describe('DuckDB lock-down lets through, so the statement check must refuse', () => {
  test('reading and writing the private temp directory', async () => {
    await connection.run(`COPY (SELECT 'leak' AS x) TO '${tempDir}/leak.csv'`);
    const reader = await connection.runAndReadAll(`SELECT * FROM read_csv('${tempDir}/leak.csv')`);
    expect(reader.getRows()).toEqual([['leak']]);
    expect(await readdir(tempDir)).toContain('leak.csv');
  });
  test('attaching a new database inside the temp directory', async () => {
    await mkdir(tempDir, { recursive: true });
    await connection.run(`ATTACH '${tempDir}/other.duckdb' AS other`);
    await connection.run('DETACH other');
  });
  test('reading the settings, including paths', async () => {
    const reader = await connection.runAndReadAll("SELECT current_setting('temp_directory')");
    expect(String(reader.getRows()[0]?.[0])).toContain('tmp');
  });
  test('turning logging on', async () => {
    await connection.run("CALL enable_logging('QueryLog')");
    await connection.run('CALL disable_logging()');
  });
  test('a temp view shadowing a room table', async () => {
    await connection.run('CREATE TEMP VIEW people AS SELECT 1 AS email');
    const reader = await connection.runAndReadAll('SELECT count(*) FROM people');
    expect(Number(reader.getRows()[0]?.[0])).toBe(1);
  });
  test('reading the attached room file itself', async () => {
    const reader = await connection.runAndReadAll(`SELECT size FROM read_blob('${fixture.dir}/data/collaborations/collab-test/room.duckdb')`);
    expect(Number(reader.getRows()[0]?.[0])).toBeGreaterThan(0);
  });
});
