import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CleanRoomError } from '../../core/errors.js';
import { EngineFailure } from './engine-failure.js';
import type { RoomFixture } from './room-fixture.js';
import { PEOPLE_PLAN, peopleCsv, roomFixture, sha256Hex } from './room-fixture.js';

let fixture: RoomFixture;

beforeAll(async () => {
  fixture = await roomFixture();
  await fixture.room.loadCsv(await fixture.file('people.csv', peopleCsv(1000)), PEOPLE_PLAN);
});

afterAll(async () => {
  await fixture.dispose();
});

describe('compiled aggregate SELECTs', () => {
  test('run with bound parameters and return plain rows', async () => {
    const sql = `SELECT segment, count(DISTINCT email) AS people, sum(revenue) AS revenue, avg(revenue) AS mean
      FROM people WHERE revenue >= ? AND segment IN (?, ?)
      GROUP BY segment HAVING count(DISTINCT email) >= ? ORDER BY segment`;
    const result = await fixture.room.query(sql, [100, 'a', 'b', 50]);
    expect(result.columns).toEqual([
      { name: 'segment', type: 'string' },
      { name: 'people', type: 'integer' },
      { name: 'revenue', type: 'number' },
      { name: 'mean', type: 'number' },
    ]);
    expect(result.rows).toEqual([
      { segment: 'a', people: 450, revenue: 247050, mean: 549 },
      { segment: 'b', people: 450, revenue: 247500, mean: 550 },
    ]);
  });

  test('a bound parameter is a value, never SQL', async () => {
    const { rows } = await fixture.room.query('SELECT count(*) AS n FROM people WHERE segment = ?', ["a' OR '1'='1"]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  test('CTEs, joins, window functions and range() are allowed', async () => {
    const sql = `WITH s AS (SELECT segment, email FROM people), b AS (SELECT range AS bucket FROM range(3))
      SELECT count(*) AS n, max(r) AS top FROM (SELECT row_number() OVER (ORDER BY s.email) AS r FROM s JOIN people p ON s.email = p.email) t, b`;
    expect((await fixture.room.query(sql)).rows).toEqual([{ n: 3000, top: 1000 }]);
  });

  test('integers beyond 2^53 come back as decimal text, dates and timestamps as text', async () => {
    const sql = `SELECT 9007199254740993::HUGEINT AS big, 42::BIGINT AS small, DATE '2024-01-02' AS d,
      TIMESTAMP '2024-01-02 03:04:05' AS ts, 1.25::DECIMAL(10, 2) AS dec, NULL AS nothing, '\\x01\\xFF'::BLOB AS bytes`;
    const { rows } = await fixture.room.query(sql);
    expect(rows).toEqual([
      { big: '9007199254740993', small: 42, d: '2024-01-02', ts: '2024-01-02 03:04:05', dec: 1.25, nothing: null, bytes: '01ff' },
    ]);
  });

  test('too many rows are refused, not truncated', async () => {
    const error = await fixture.room.query('SELECT email FROM people', [], { maxRows: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'refused', details: { reason: 'too many rows', maxRows: 10 } });
  });

  test('a wrong number of parameters is an invalid argument', async () => {
    await expect(fixture.room.query('SELECT count(*) AS n FROM people WHERE revenue > ?', [])).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  test('queries run concurrently and a load waits for them', async () => {
    const queries = Array.from({ length: 8 }, () => fixture.room.query('SELECT count(*) AS n FROM people'));
    const loading = fixture.room.loadCsv(await fixture.file('more.csv', peopleCsv(10, 5000)), { ...PEOPLE_PLAN, dataset: 'more' });
    const after = fixture.room.query('SELECT count(*) AS n FROM more');
    const results = await Promise.all(queries);
    expect(results.map((r) => r.rows[0]?.n)).toEqual(Array(8).fill(1000));
    await loading;
    expect((await after).rows).toEqual([{ n: 10 }]);
  });
});

describe('engine errors never reach the caller verbatim', () => {
  test('a conversion error quoting a data value is reduced to a generic message', async () => {
    await fixture.room.loadCsv(
      await fixture.file('secret.csv', `email,segment,revenue\n${sha256Hex('s')},SECRET-SEGMENT-7731,1\n`),
      { ...PEOPLE_PLAN, dataset: 'secrets' },
    );
    const sql = 'SELECT CAST(segment AS INTEGER) AS n FROM secrets';
    const error = (await fixture.room.query(sql).catch((e: unknown) => e)) as CleanRoomError;
    expect(error).toBeInstanceOf(CleanRoomError);
    expect(error.code).toBe('internal');
    expect(error.message).toBe('Cannot run the query in room collab-test: the engine rejected it');
    expect(JSON.stringify(error.toJSON())).not.toContain('SECRET');
    expect(error.cause).toBeInstanceOf(EngineFailure);
    expect((error.cause as EngineFailure).message).toBe('Conversion');
    expect(String(error.stack)).not.toContain('SECRET');
  });

  test('an error() call carrying data is reduced the same way', async () => {
    const error = (await fixture.room.query("SELECT error('value ' || min(email)) FROM people").catch((e: unknown) => e)) as CleanRoomError;
    expect(error.code).toBe('internal');
    expect(error.message).not.toMatch(/[0-9a-f]{64}/);
  });

  test('a binder error naming a column stays generic', async () => {
    const error = (await fixture.room.query('SELECT no_such_column FROM people').catch((e: unknown) => e)) as CleanRoomError;
    expect(error.message).toBe('Cannot run the query in room collab-test: the engine rejected it');
    expect((error.cause as EngineFailure).kind).toBe('Binder');
  });
});
