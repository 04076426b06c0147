import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { LoadPlan } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';
import type { RoomFixture } from './room-fixture.js';
import { PEOPLE_PLAN, peopleCsv, roomFixture, sha256Hex } from './room-fixture.js';
import { readRoomKeys } from './room-keys.js';

let fixture: RoomFixture;

beforeEach(async () => {
  fixture = await roomFixture();
});

afterEach(async () => {
  await fixture.dispose();
});

async function load(name: string, text: string, plan: LoadPlan = PEOPLE_PLAN) {
  return fixture.room.loadCsv(await fixture.file(name, text), plan);
}

async function count(table: string): Promise<unknown> {
  const { rows } = await fixture.room.query(`SELECT count(*) AS n FROM ${table}`);
  return rows[0]?.n;
}

describe('identifiers are stored re-keyed', () => {
  test('the stored value is HMAC-SHA256 of the digest under the room secret, not the client SHA-256', async () => {
    const clientHash = sha256Hex('alice@example.com');
    await load('one.csv', `email,segment,revenue\n${clientHash},a,1\n`);
    const { rows } = await fixture.room.query('SELECT email FROM people');
    const keys = await readRoomKeys(join(fixture.dir, 'data/keys/collab-test.room.json'), {
      masterKey: fixture.masterKey,
      collaborationId: 'collab-test',
    });
    const expected = createHmac('sha256', keys.hmacKey).update(Buffer.from(clientHash, 'hex')).digest('hex');
    expect(rows).toEqual([{ email: expected }]);
    expect(rows[0]?.email).not.toBe(clientHash);
  });

  test('hex and Base64 spellings of one digest, in either case, are stored as the same value', async () => {
    const hex = sha256Hex('bob@example.com');
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    await load('two.csv', `email,segment,revenue\n${hex},a,1\n${hex.toUpperCase()},b,1\n${base64},c,1\n`);
    const { rows } = await fixture.room.query('SELECT count(DISTINCT email) AS people, count(*) AS n FROM people');
    expect(rows).toEqual([{ people: 1, n: 3 }]);
  });

  test('two rooms store the same client hash differently', async () => {
    const other = await fixture.engine.openRoom('collab-other', { create: true });
    const text = `email,segment,revenue\n${sha256Hex('carol@example.com')},a,1\n`;
    await load('mine.csv', text);
    await other.loadCsv(await fixture.file('theirs.csv', text), PEOPLE_PLAN);
    const mine = await fixture.room.query('SELECT email FROM people');
    const theirs = await other.query('SELECT email FROM people');
    expect(mine.rows[0]?.email).not.toBe(theirs.rows[0]?.email);
  });
});

describe('versions', () => {
  test('each load is a new version and the dataset view shows the latest', async () => {
    const first = await load('v1.csv', peopleCsv(10));
    const second = await load('v2.csv', peopleCsv(7, 100));
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.table).toBe('people__v2');
    expect(await count('people')).toBe(7);
    expect(await count('people__v1')).toBe(10);
    const versions = await fixture.room.datasets();
    expect(versions.map((v) => [v.dataset, v.version, v.rows, v.current])).toEqual([
      ['people', 1, 10, false],
      ['people', 2, 7, true],
    ]);
  });

  test('a path with a quote in it is read through a bound parameter', async () => {
    const result = await load("o'brien; DROP TABLE x.csv", peopleCsv(3));
    expect(result.rowsStored).toBe(3);
  });
});

describe('a failed load leaves the previous version intact', () => {
  test('a failure inside the transaction, after the new table was written, rolls everything back', async () => {
    let unplugged = false;
    await fixture.dispose();
    fixture = await roomFixture({
      hooks: {
        beforeLoadCommit: () => {
          if (unplugged) throw new Error('disk unplugged');
        },
      },
    });
    await load('v1.csv', peopleCsv(10));
    unplugged = true;
    await expect(load('v2.csv', peopleCsv(20, 100))).rejects.toThrow(CleanRoomError);
    expect(await count('people')).toBe(10);
    expect((await fixture.room.datasets()).map((v) => v.version)).toEqual([1]);
    await expect(fixture.room.query('SELECT count(*) AS n FROM people__v2')).rejects.toMatchObject({ code: 'refused' });
  });

  test('too many rejected rows fails the load and stores nothing', async () => {
    await load('v1.csv', peopleCsv(5));
    const bad = `email,segment,revenue\nnot-a-hash,a,1\nalso-bad,b,2\n${sha256Hex('x')},c,3\n`;
    const error = await load('v2.csv', bad, { ...PEOPLE_PLAN, maxRejectedRows: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect((error as CleanRoomError).message).toBe(
      'Cannot load v2.csv as dataset people: 2 rows were rejected, at most 1 are allowed',
    );
    expect(await count('people')).toBe(5);
  });

  test('an unreadable file fails the load and stores nothing', async () => {
    await load('v1.csv', peopleCsv(5));
    const missing = fixture.room.loadCsv(join(fixture.dir, 'nope.csv'), PEOPLE_PLAN);
    await expect(missing).rejects.toMatchObject({ code: 'io_error' });
    await expect(load('empty.csv', '')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await count('people')).toBe(5);
  });

  test('a missing required column fails with its name', async () => {
    await expect(load('nocol.csv', 'segment,revenue\na,1\n')).rejects.toThrow(
      'Cannot load nocol.csv as dataset people: its header has no column "email"',
    );
  });

  test('execute() is all or nothing', async () => {
    await load('v1.csv', peopleCsv(5));
    const statements = [{ sql: 'CREATE TABLE matched AS SELECT email FROM people' }, { sql: 'SELECT * FROM no_such_table' }];
    await expect(fixture.room.execute(statements)).rejects.toMatchObject({ code: 'internal' });
    await expect(fixture.room.query('SELECT count(*) AS n FROM matched')).rejects.toMatchObject({ code: 'refused' });
    await fixture.room.execute([{ sql: 'CREATE TABLE matched AS SELECT email FROM people WHERE revenue >= ?', params: [3] }]);
    expect(await count('matched')).toBe(2);
  });
});

describe('validation and the quality report', () => {
  test('rejects name line, column and reason, never the value', async () => {
    const good = sha256Hex('dave@example.com');
    const text = [
      'email,segment,revenue',
      `${good},a,1.50`, // line 2: fine
      ',a,1', // line 3: missing email
      'secret-raw@example.com,b,2', // line 4: not a hash
      `${sha256Hex('e')},b,lots`, // line 5: not a number
      `${sha256Hex('f')},b,1,extra`, // line 6: too many fields
      `${sha256Hex('g')},c,2`, // line 7: fine
    ].join('\n');
    const result = await load('messy.csv', `${text}\n`);
    expect(result).toMatchObject({ rowsRead: 6, rowsRejected: 4, rowsStored: 2, duplicatesRemoved: 0 });
    expect(result.rejects).toEqual([
      { line: 3, column: 'email', reason: 'missing' },
      { line: 4, column: 'email', reason: 'not_a_hash' },
      { line: 5, column: 'revenue', reason: 'not_a_number' },
      { line: 6, column: '', reason: 'malformed_row' },
    ]);
    expect(JSON.stringify(result)).not.toContain('secret-raw');
  });

  test('exact duplicate rows are removed and counted; other columns are ignored and never stored', async () => {
    const hash = sha256Hex('erin@example.com');
    const result = await load('dups.csv', `email,notes,segment,revenue\n${hash},x,a,1\n${hash},y,a,1\n${hash},z,b,1\n`);
    expect(result).toMatchObject({ rowsStored: 2, duplicatesRemoved: 1, ignoredColumns: ['notes'] });
    await expect(fixture.room.query('SELECT notes FROM people')).rejects.toMatchObject({ code: 'internal' });
  });

  test('typed columns are cast, header names match case-insensitively, fill rate counts identifiers', async () => {
    const plan: LoadPlan = {
      dataset: 'orders',
      columns: [
        { name: 'email', type: 'identifier' },
        { name: 'phone', type: 'identifier' },
        { name: 'quantity', type: 'integer' },
        { name: 'day', type: 'date' },
        { name: 'ordered_at', type: 'timestamp', header: 'Ordered At' },
        { name: 'gift', type: 'boolean' },
      ],
    };
    const text = [
      'EMAIL,phone,quantity,day,Ordered At,gift',
      `${sha256Hex('a')},,3,2024-02-29,2024-02-29T10:00:00+02:00,true`,
      `${sha256Hex('b')},${sha256Hex('+15550100')},4,2024-03-01,2024-03-01 00:00:00,false`,
      `${sha256Hex('c')},,x,2024-03-01,2024-03-01 00:00:00,false`,
      `${sha256Hex('d')},,5,2024-02-30,2024-03-01 00:00:00,false`,
    ].join('\n');
    const result = await load('orders.csv', `${text}\n`, plan);
    expect(result.rejects).toEqual([
      { line: 4, column: 'quantity', reason: 'not_an_integer' },
      { line: 5, column: 'day', reason: 'not_a_date' },
    ]);
    expect(result.fillRate).toEqual({ email: 1, phone: 0.5 });
    const { rows, columns } = await fixture.room.query('SELECT quantity, day, ordered_at, gift FROM orders ORDER BY quantity');
    expect(columns.map((c) => c.type)).toEqual(['integer', 'date', 'timestamp', 'boolean']);
    expect(rows).toEqual([
      { quantity: 3, day: '2024-02-29', ordered_at: '2024-02-29 08:00:00', gift: true },
      { quantity: 4, day: '2024-03-01', ordered_at: '2024-03-01 00:00:00', gift: false },
    ]);
  });

  test('a plan that is not safe to compile is refused before anything runs', async () => {
    const bad = { ...PEOPLE_PLAN, dataset: 'people"; DROP TABLE x; --' };
    await expect(load('p.csv', peopleCsv(1), bad)).rejects.toMatchObject({ code: 'invalid_argument' });
    const badColumn = { dataset: 'p', columns: [{ name: 'Email Address', type: 'identifier' as const }] };
    await expect(load('p.csv', peopleCsv(1), badColumn)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
