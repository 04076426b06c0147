import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CleanRoomError } from '../../core/errors.js';
import type { RoomFixture } from './room-fixture.js';
import { PEOPLE_PLAN, peopleCsv, roomFixture } from './room-fixture.js';

// Every attack goes through RoomStore.query, the only door analyses have. Each must be
// refused before it runs (code 'refused'), and leave the room's data and temp dir as they were.

let fixture: RoomFixture;
let roomDir: string;
let workCopy: string;

beforeAll(async () => {
  fixture = await roomFixture();
  await fixture.room.loadCsv(await fixture.file('people.csv', peopleCsv(500)), PEOPLE_PLAN);
  roomDir = join(fixture.dir, 'data', 'collaborations', 'collab-test');
  workCopy = join(fixture.workDir, 'collab-test');
});

afterAll(async () => {
  // Nothing an attack did may have changed the data or left a file behind.
  const { rows } = await fixture.room.query('SELECT count(*) AS n FROM people');
  expect(rows).toEqual([{ n: 500 }]);
  expect(await readdir(join(workCopy, 'tmp'))).toEqual([]);
  expect((await readdir(workCopy)).sort()).toEqual(['room.duckdb', 'tmp']);
  expect((await readdir(roomDir)).sort()).toEqual(['room.sealed']);
  await fixture.dispose();
});

async function expectRefused(sql: string, reason?: RegExp): Promise<void> {
  const error = await fixture.room.query(sql).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CleanRoomError);
  const refusal = error as CleanRoomError;
  expect(refusal.code).toBe('refused');
  if (reason !== undefined) expect(refusal.message).toMatch(reason);
}

/** The open room's working copy (its database and temp dir), where an attack would look. */
const room = (): string => workCopy;

describe('file access through table functions is refused', () => {
  test('read_csv of /etc/passwd', () => expectRefused("SELECT * FROM read_csv('/etc/passwd')", /read_csv/));
  test('read_csv_auto of /etc/passwd', () => expectRefused("SELECT * FROM read_csv_auto('/etc/passwd')", /read_csv_auto/));
  test('read_text of /etc/passwd', () => expectRefused("SELECT content FROM read_text('/etc/passwd')", /read_text/));
  test('read_blob of /etc/passwd', () => expectRefused("SELECT content FROM read_blob('/etc/passwd')", /read_blob/));
  test('glob of /etc', () => expectRefused("SELECT * FROM glob('/etc/*')", /glob/));
  test('read_blob of the room database file', () =>
    expectRefused(`SELECT content FROM read_blob('${room()}/room.duckdb')`, /read_blob/));
  test('read_text of the room keys file', () => expectRefused(`SELECT content FROM read_text('${fixture.dir}/data/keys/collab-test.room.json')`, /read_text/));
  test('glob of the room temp directory', () => expectRefused(`SELECT * FROM glob('${room()}/tmp/*')`, /glob/));
  test('read_csv of a file in the room temp directory', () => expectRefused(`SELECT * FROM read_csv('${room()}/tmp/x.csv')`, /read_csv/));
  test('read_parquet and read_json', async () => {
    await expectRefused("SELECT * FROM read_parquet('/etc/passwd')", /read_parquet/);
    await expectRefused("SELECT * FROM read_json('/etc/passwd')", /read_json/);
  });
  test('a file path as a table name (replacement scan)', () => expectRefused("SELECT * FROM '/etc/passwd'", /not a table of this room/));
  test('a table function inside a scalar subquery', () =>
    expectRefused("SELECT (SELECT count(*) FROM read_text('/etc/passwd')) AS n", /read_text/));
  test('sniff_csv of /etc/passwd', () => expectRefused("SELECT * FROM sniff_csv('/etc/passwd')", /sniff_csv/));
});

describe('SQL that runs other SQL is refused', () => {
  test("query('...')", () => expectRefused("SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')", /query/));
  test('query_table', () => expectRefused("SELECT * FROM query_table('people')", /query_table/));
  test('json_execute_serialized_sql', () =>
    expectRefused("SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", /json_execute_serialized_sql/));
  test('two statements in one string', () => expectRefused('SELECT 1; DROP TABLE people', /2 statements/));
  test('a statement hidden after a comment and a quote', () => expectRefused("SELECT 'a' AS x; -- '\nDROP TABLE people", /2 statements/));
});

describe('statements other than SELECT are refused', () => {
  test('COPY TO a file', () => expectRefused(`COPY people TO '${room()}/tmp/out.csv'`, /not a SELECT/));
  test('COPY (SELECT) TO a file', () => expectRefused(`COPY (SELECT * FROM people) TO '/tmp/out.csv'`, /not a SELECT/));
  test('COPY FROM a file', () => expectRefused("COPY people FROM '/etc/passwd'", /not a SELECT/));
  test('EXPORT DATABASE', () => expectRefused(`EXPORT DATABASE '${room()}/tmp/export'`, /not a SELECT/));
  test('ATTACH another file', () => expectRefused(`ATTACH '${room()}/tmp/other.duckdb' AS other`, /not a SELECT/));
  test('ATTACH the room file again read-write', () => expectRefused(`ATTACH '${room()}/room.duckdb' AS again`, /not a SELECT/));
  test('DETACH the room', () => expectRefused('DETACH room', /not a SELECT/));
  test('USE another database', () => expectRefused('USE memory', /not a SELECT/));
  test('INSTALL httpfs', () => expectRefused('INSTALL httpfs', /not a SELECT/));
  test('LOAD httpfs', () => expectRefused('LOAD httpfs', /not a SELECT/));
  test('SET enable_external_access = true', () => expectRefused('SET enable_external_access = true', /not a SELECT/));
  test('SET lock_configuration = false', () => expectRefused('SET lock_configuration = false', /not a SELECT/));
  test('RESET a setting', () => expectRefused('RESET enable_external_access', /not a SELECT/));
  test('PRAGMA', () => expectRefused('PRAGMA database_list', /not a SELECT/));
  test('CALL enable_logging', () => expectRefused("CALL enable_logging('QueryLog')", /not a SELECT/));
  test('CREATE MACRO shadowing a built-in', () => expectRefused('CREATE MACRO count_star() AS 1', /not a SELECT/));
  test('CREATE TEMP MACRO shadowing a built-in', () => expectRefused('CREATE TEMP MACRO sum(x) AS 0', /not a SELECT/));
  test('CREATE TEMP VIEW shadowing a table', () => expectRefused('CREATE TEMP VIEW people AS SELECT 1 AS email', /not a SELECT/));
  test('INSERT into the read-only data', () => expectRefused("INSERT INTO people VALUES ('x', 'a', 1)", /not a SELECT/));
  test('UPDATE the read-only data', () => expectRefused("UPDATE people SET segment = 'z'", /not a SELECT/));
  test('DELETE from the read-only data', () => expectRefused('DELETE FROM people', /not a SELECT/));
  test('DROP a table', () => expectRefused('DROP TABLE people__v1', /not a SELECT/));
  test('PIVOT (DuckDB parses it into two statements)', () => expectRefused('PIVOT people ON segment USING count(*)', /2 statements/));
  test('EXPLAIN ANALYZE', () => expectRefused('EXPLAIN ANALYZE SELECT * FROM people', /not a SELECT/));
});

describe('configuration, environment and metadata are refused', () => {
  test("current_setting('temp_directory')", () => expectRefused("SELECT current_setting('temp_directory') AS t", /current_setting/));
  test('duckdb_settings()', () => expectRefused('SELECT * FROM duckdb_settings()', /duckdb_settings/));
  test('duckdb_databases() (would show file paths)', () => expectRefused('SELECT * FROM duckdb_databases()', /duckdb_databases/));
  test('duckdb_tables view without parentheses', () => expectRefused('SELECT * FROM duckdb_tables', /duckdb_tables/));
  test("getenv('HOME')", () => expectRefused("SELECT getenv('HOME') AS h", /getenv/));
  test('a qualified system function', () => expectRefused("SELECT system.main.current_setting('threads') AS t", /current_setting/));
  test('enable_logging as a table function', () => expectRefused("SELECT * FROM enable_logging('QueryLog')", /enable_logging/));
  test('duckdb_logs', () => expectRefused('SELECT * FROM duckdb_logs', /duckdb_logs/));
  test('pragma_table_info', () => expectRefused("SELECT * FROM pragma_table_info('people')", /pragma_table_info/));
  test('information_schema', () => expectRefused('SELECT * FROM information_schema.tables', /information_schema/));
  test('the system catalog', () => expectRefused('SELECT * FROM system.main.duckdb_tables', /system/));
  test('the temp catalog', () => expectRefused('SELECT * FROM temp.main.anything', /temp/));
  test('SHOW TABLES', () => expectRefused('SHOW TABLES', /SHOW_REF/));
  test('DESCRIBE a table', () => expectRefused('DESCRIBE people', /SHOW_REF/));
  test('SUMMARIZE a table (min and max of every column)', () => expectRefused('SUMMARIZE people', /SHOW_REF/));
  test("the room's internal catalog of versions", () => expectRefused('SELECT * FROM _cleanroom_versions', /not a table of this room/));
  test('which_secret', () => expectRefused("SELECT * FROM which_secret('s3://x', 's3')", /which_secret/));
  test('a CTE named like a system view, used out of its scope', () =>
    expectRefused('SELECT * FROM (WITH duckdb_tables AS (SELECT 1) SELECT 1) AS a, duckdb_tables', /CTE name duckdb_tables/));
  test('getvariable', () => expectRefused("SELECT getvariable('x') AS v", /getvariable/));
});

describe('queries that never end are stopped by the time limit', () => {
  test('count(*) over range(1e12)', async () => {
    const started = Date.now();
    const error = await fixture.room.query('SELECT count(*) AS n FROM range(1000000000000)', [], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleanRoomError);
    expect((error as CleanRoomError).code).toBe('timeout');
    expect((error as CleanRoomError).message).toBe('Cannot finish the query in room collab-test within 300 ms: it was stopped');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('an unbounded recursive CTE', async () => {
    const sql = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS n FROM r';
    const error = await fixture.room.query(sql, [], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as CleanRoomError).code).toBe('timeout');
  });

  test('a cross join blow-up', async () => {
    const sql = 'SELECT count(*) AS n FROM people a, people b, people c, people d WHERE a.revenue + b.revenue + c.revenue + d.revenue < 0';
    const error = await fixture.room.query(sql, [], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as CleanRoomError).code).toBe('timeout');
  });

  test('the room answers again right after a stopped query', async () => {
    await fixture.room.query('SELECT count(*) AS n FROM range(1000000000000)', [], { timeoutMs: 100 }).catch(() => undefined);
    const { rows } = await fixture.room.query('SELECT count(*) AS n FROM people');
    expect(rows).toEqual([{ n: 500 }]);
  });
});
