import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundingSide } from '../src/core/analyses/dp/bounding/bounding-plan.js';
import { boundingSql } from '../src/core/analyses/dp/bounding/bounding-sql.js';
import { seededRandomSource } from '../src/core/privacy/dp/random-source.js';
import { boundContributions } from '../src/core/privacy/dp/testing/bound-contributions.js';
import { roomFixture, type RoomFixture } from '../src/engine/duckdb/room-fixture.js';

// Differential test of the bounding SQL against its JavaScript oracle, boundContributions:
// given the engine's keyed hashes as the order of choice, the oracle keeps, for every person,
// the k groups and then the m rows per group of smallest hash, by the definition, one person
// at a time; the SQL ranks only where a bound binds and builds its result by difference.
// Both must give the same people, kept rows and (capped) sums per group.

interface Row { person: string; g: string; v: number }

/** 40 people in 1 to 6 of 6 groups, 1 to 6 rows in each, values 0 to 20 (many repeated). */
function dataset(seed: number): Row[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
  const rows: Row[] = [];
  for (let p = 0; p < 40; p++) {
    const groups = 1 + next(6);
    for (let g = 0; g < groups; g++) for (let r = 1 + next(6); r > 0; r--) rows.push({ person: `p${p}`, g: `g${(p + g) % 6}`, v: next(21) });
  }
  return rows;
}

describe('boundingSql agrees with the JavaScript oracle boundContributions', () => {
  let fixture: RoomFixture;
  beforeAll(async () => {
    fixture = await roomFixture({ encryption: 'off' });
  });
  afterAll(async () => fixture.dispose());

  const inner = (rows: readonly Row[]): string => `SELECT person, g, CAST(v AS BIGINT) AS v FROM (VALUES ${rows.map((r) => `('${r.person}', '${r.g}', ${r.v})`).join(', ')}) t(person, g, v)`;

  /** The engine's keyed hash of each (person, group) and each row, as the oracle's ranks. */
  async function ranks(rows: readonly Row[], seed: string): Promise<{ group: (person: string, g: string) => bigint; row: (row: Row) => bigint }> {
    const groups = await fixture.room.query(`SELECT DISTINCT person, g, CAST(hash(?, person, g) AS VARCHAR) AS h FROM (${inner(rows)})`, [seed]);
    const values = await fixture.room.query(`SELECT DISTINCT person, v, CAST(hash(?, person, v) AS VARCHAR) AS h FROM (${inner(rows)})`, [seed]);
    const byGroup = new Map(groups.rows.map((r) => [`${String(r.person)}|${String(r.g)}`, BigInt(String(r.h))]));
    const byRow = new Map(values.rows.map((r) => [`${String(r.person)}|${String(r.v)}`, BigInt(String(r.h))]));
    return { group: (person, g) => byGroup.get(`${person}|${g}`)!, row: (row) => byRow.get(`${row.person}|${row.v}`)! };
  }

  it.each([
    [1, 1, 'rows'],
    [2, 3, 'rows'],
    [3, 2, 'values'],
    [6, 6, 'values'],
  ] as const)('k = %i, m = %i, m bound by %s, three seeds, with and without a cap on each person’s total', async (k, m, keep) => {
    for (const [i, seed] of ['s1', 'seed-two', '0123456789abcdef'].entries()) {
      const rows = dataset(i + 1);
      const rank = await ranks(rows, seed);
      const kept = boundContributions(rows, { personOf: (r) => r.person, groupOf: (r) => r.g, bounds: { maxGroupsPerPerson: k, maxRowsPerGroup: m }, rng: seededRandomSource(1), rank });
      for (const cap of [undefined, 25]) {
        // The oracle's table: per group, distinct people, kept rows and the sum of each person's (capped) total.
        const perPair = new Map<string, { g: string; rows: number; sum: number }>();
        for (const r of kept) {
          const pair = perPair.get(`${r.person}|${r.g}`) ?? { g: r.g, rows: 0, sum: 0 };
          pair.rows++;
          pair.sum += r.v;
          perPair.set(`${r.person}|${r.g}`, pair);
        }
        const expected = new Map<string, { g: string; people: number; kept_rows: number; v_steps: number }>();
        for (const pair of perPair.values()) {
          const row = expected.get(pair.g) ?? { g: pair.g, people: 0, kept_rows: 0, v_steps: 0 };
          row.people++;
          row.kept_rows += pair.rows;
          row.v_steps += cap === undefined ? pair.sum : Math.min(pair.sum, cap);
          expected.set(pair.g, row);
        }
        const side: BoundingSide = {
          dataset: 'rows',
          rows: { sql: inner(rows), params: [] },
          keys: ['g'],
          values: [{ column: 'v', output: 'v_steps', resolution: 1, ...(cap === undefined ? {} : { personTotal: { min: 0, max: cap } }) }],
          keep,
          counts: { rows: 'kept_rows', people: 'with_rows' },
        };
        const { sql, params } = boundingSql({ people: 'first side', sides: [side], byMatchKey: false, maxGroupsPerPerson: k, maxRowsPerGroup: m, seed });
        const actual = (await fixture.room.query(sql, params)).rows.map((row) => ({ g: row.g, people: Number(row.people), kept_rows: Number(row.kept_rows), v_steps: Number(row.v_steps) }));
        const want = [...expected.values()].sort((x, y) => x.g.localeCompare(y.g));
        expect(actual, `k=${k} m=${m} ${keep} ${seed} cap=${String(cap)}`).toEqual(want);
      }
    }
  });

  it('the bounds bind in this data at k = m = 1 and not at k = m = 6', () => {
    const rows = dataset(1);
    const all = boundContributions(rows, { personOf: (r) => r.person, groupOf: (r) => r.g, bounds: { maxGroupsPerPerson: 6, maxRowsPerGroup: 6 }, rng: seededRandomSource(1) });
    const tight = boundContributions(rows, { personOf: (r) => r.person, groupOf: (r) => r.g, bounds: { maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, rng: seededRandomSource(1) });
    expect(all).toHaveLength(rows.length);
    expect(tight).toHaveLength(40);
  });
});
