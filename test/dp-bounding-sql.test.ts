import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundingPlan, BoundingSide } from '../src/core/analyses/dp/bounding/bounding-plan.js';
import { boundingSql } from '../src/core/analyses/dp/bounding/bounding-sql.js';
import { boundedRowsSql } from '../src/core/analyses/dp/bounding/bounded-rows-sql.js';
import { runSeed } from '../src/core/analyses/dp/bounding/run-seed.js';
import type { Cell } from '../src/core/engine-port.js';
import { seededRandomSource } from '../src/core/privacy/dp/random-source.js';
import { roomFixture, type RoomFixture } from '../src/engine/duckdb/room-fixture.js';

// The one builder of DP contribution bounding (boundingSql), on a real DuckDB room, over
// inner SELECTs of literal rows: what it keeps under each bound, and the shape of its SQL.

/** An inner SELECT of (person, g, v) rows. */
const rowsOf = (rows: readonly [string, string, number | null][]): string =>
  `SELECT person, g, CAST(v AS BIGINT) AS v FROM (VALUES ${rows.map(([p, g, v]) => `('${p}', '${g}', ${v === null ? 'NULL' : v})`).join(', ')}) t(person, g, v)`;

const side = (rows: readonly [string, string, number | null][], keep: BoundingSide['keep'], extra: Partial<BoundingSide> = {}): BoundingSide => ({
  dataset: 'rows',
  rows: { sql: rowsOf(rows), params: [] },
  keys: ['g'],
  values: [{ column: 'v', output: 'v_steps', resolution: 1 }],
  keep,
  ...extra,
});

const plan = (sides: BoundingSide[], k: number, m: number, seed = 's1'): BoundingPlan => ({ people: 'first side', sides, byMatchKey: false, maxGroupsPerPerson: k, maxRowsPerGroup: m, seed });

describe('boundingSql: k groups per person, m rows per group, ranking only where a bound binds', () => {
  let fixture: RoomFixture;
  beforeAll(async () => {
    fixture = await roomFixture({ encryption: 'off' });
  });
  afterAll(async () => fixture.dispose());

  const run = async (p: BoundingPlan): Promise<readonly Record<string, Cell>[]> => {
    const { sql, params } = boundingSql(p);
    return (await fixture.room.query(sql, params)).rows;
  };

  it('keeps every contribution when no bound binds: the plain aggregate per group', async () => {
    const rows: [string, string, number][] = [['a', 'x', 1], ['a', 'x', 2], ['a', 'y', 4], ['b', 'x', 8]];
    expect(await run(plan([side(rows, 'values')], 2, 2))).toEqual([
      { g: 'x', people: 2, v_steps: 11 },
      { g: 'y', people: 1, v_steps: 4 },
    ]);
  });

  it('keeps k groups of a person in more than k, and m rows of a pair above m (rows: their count and sum)', async () => {
    const rows: [string, string, number][] = [];
    for (const g of ['g0', 'g1', 'g2', 'g3']) for (let i = 0; i < 5; i++) rows.push(['heavy', g, 10]);
    rows.push(['light', 'g0', 1]);
    const result = await run(plan([side(rows, 'rows', { counts: { rows: 'kept_rows', people: 'with_rows' } })], 2, 3));
    const total = (column: string): number => result.reduce((n, row) => n + Number(row[column]), 0);
    // heavy: 2 of 4 groups, 3 of 5 rows in each; light: its one row.
    expect([total('people'), total('kept_rows'), total('v_steps'), total('with_rows')]).toEqual([3, 7, 61, 3]);
    const g0 = result.find((row) => row.g === 'g0')!;
    expect(result).toHaveLength(g0.people === 2 ? 2 : 3);
  });

  it('values: each value keeps its m non-NULL values of a pair above m', async () => {
    const rows: [string, string, number | null][] = [['a', 'x', null], ['a', 'x', null], ['a', 'x', null], ['a', 'x', 5], ['a', 'x', 5]];
    expect(await run(plan([side(rows, 'values')], 1, 2))).toEqual([{ g: 'x', people: 1, v_steps: 10 }]);
    // By rows, the m rows of smallest hash, whatever their values: here at most 10.
    const [byRows] = await run(plan([side(rows, 'rows')], 1, 2));
    expect(Number(byRows!.v_steps ?? 0)).toBeLessThanOrEqual(10);
  });

  it("clamps each person's total in a group to its cap, after the m bound", async () => {
    const rows: [string, string, number][] = [['a', 'x', 40], ['a', 'x', 40], ['b', 'x', 5], ['c', 'x', 40], ['c', 'x', 40], ['c', 'x', 40]];
    const capped = side(rows, 'values', { values: [{ column: 'v', output: 'v_steps', resolution: 1, personTotal: { min: 0, max: 50 } }] });
    // a: 80 → 50; b: 5; c: two of three rows (80) → 50.
    expect(await run(plan([capped], 1, 2))).toEqual([{ g: 'x', people: 3, v_steps: 105 }]);
  });

  it('joins the other sides on the first side\'s people: a person without rows there counts with nothing', async () => {
    const arms: BoundingSide = { dataset: 'arms', rows: { sql: rowsOf([['a', 'exposed', 0], ['b', 'exposed', 0], ['c', 'holdout', 0]]).replace('CAST(v AS BIGINT) AS v', 'g AS arm'), params: [] }, keys: ['arm'], values: [], keep: 'rows' };
    const conversions: BoundingSide = {
      dataset: 'conversions',
      rows: { sql: 'SELECT person, v FROM (VALUES (\'a\', 3), (\'a\', 4), (\'a\', 5), (\'c\', 7), (\'z\', 100)) t(person, v)', params: [] },
      keys: [],
      values: [{ column: 'v', output: 'v_steps', resolution: 1 }],
      keep: 'rows',
      counts: { rows: 'conversions', people: 'converters' },
    };
    const result = await run(plan([arms, conversions], 1, 2));
    expect(result.map((row) => [row.arm, row.people, row.converters, Number(row.conversions)])).toEqual([
      ['exposed', 2, 1, 2],
      ['holdout', 1, 1, 1],
    ]);
    expect(Number(result[1]!.v_steps)).toBe(7);
  });

  it('binds the inner SELECTs\' parameters first, then the seed, in the order of the text', () => {
    const filtered = side([['a', 'x', 1]], 'values', { rows: { sql: `${rowsOf([['a', 'x', 1]])} WHERE v > ?`, params: [0] } });
    const { sql, params } = boundingSql(plan([filtered], 1, 1, 'the-seed'));
    expect(params).toEqual([0, 'the-seed', 'the-seed']);
    expect(sql.split('?').length - 1).toBe(3);
    // No group keys: nobody is in more than one group, so there is no k ranking at all.
    const ungrouped = boundingSql(plan([{ ...filtered, keys: [] }], 1, 1, 'the-seed'));
    expect(ungrouped.sql).not.toContain('over_k');
    expect(ungrouped.params).toEqual([0, 'the-seed']);
  });

  it('refuses bounds that are not whole numbers of at least 1', () => {
    expect(() => boundingSql(plan([side([['a', 'x', 1]], 'values')], 0, 1))).toThrow(/maxGroupsPerPerson = 0/);
    expect(() => boundingSql(plan([side([['a', 'x', 1]], 'values')], 1, 1.5))).toThrow(/maxRowsPerGroup = 1.5/);
  });

  it('kept-rows form: a missing value counts as the low end of its range, as it always has', async () => {
    const inner = "SELECT person AS __pid, g AS __g0, CAST(v AS DECIMAL(18, 6)) AS __v0 FROM (VALUES ('a', 'x', 2.5), ('b', 'x', NULL)) t(person, g, v)";
    const sql = boundedRowsSql(inner, 's1', { groups: 1, values: 1, stats: [{ name: 's', kind: 'sum', value: 0, range: [1, 10], shape: '' }], k: 1, m: 1, resolution: 0.5 });
    expect((await fixture.room.query(sql)).rows).toEqual([{ g0: 'x', people: 2, s0: 5 + 2 }]);
  });

  it('draws the run seed as 32 hex digits from the random source', () => {
    expect(runSeed(seededRandomSource(1))).toMatch(/^[0-9a-f]{32}$/);
    expect(runSeed(seededRandomSource(1))).toBe(runSeed(seededRandomSource(1)));
  });
});
