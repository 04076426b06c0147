import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDpAggregate } from '../src/core/analyses/dp/compile-dp-aggregate.js';
import { stepsSql } from '../src/core/analyses/dp/bounding/steps-sql.js';
import type { Cell, RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { ident, matchColumn, matchTable, personExpression } from '../src/core/room-schema/room-sql.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { dpTemplate } from './helpers/dp-template.js';
import { tempDir } from './helpers/run-cleanroom.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Cents of the heavy buyer's rows: 1 000 distinct amounts from 500.00 down, all on 2026-03-01. */
const HEAVY_ROWS = 1000;
/** The buyer with exactly three purchases, all in store S0 in January. */
const THREE = 3;

/**
 * The DP bounding ranks rows and groups only where a bound binds (pairs above m rows, people
 * above k groups) and takes plain sums everywhere else. These tests hold it to the definition:
 * a reference query that ranks EVERY row of every (person, group) and EVERY group of every
 * person by the same keyed hashes must keep exactly the same contributions, whether the bounds
 * bind or not, through the real room (DuckDB, the real matcher).
 */
describe('DP contribution bounding: ranking only where a bound binds keeps what ranking everything keeps', () => {
  let engine: RoomEngine;
  let store: RoomStore;

  beforeAll(async () => {
    const dir = tempDir('cleanroom-dp-bounding-');
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    store = await engine.openRoom('c_bounding', { create: true });
    const readers = ['email,segment,city'];
    const purchases = ['customer_id,email,store,amount,day'];
    for (let i = 0; i < 300; i++) {
      const email = sha(`r${i}@x.com`);
      readers.push(`${email},${['news', 'sport', 'tech'][i % 3]!},${i % 2 === 0 ? 'springfield' : 'shelbyville'}`);
      if (i === THREE) {
        for (const cents of [12_345, 6_789, 45_000]) purchases.push(`C${i},${email},S0,${(cents / 100).toFixed(2)},2026-01-10`);
        continue;
      }
      // 0 to 8 purchases over 1 to 4 stores, some repeated exactly (equal rows tie in the hash).
      const rows = i % 9;
      const stores = 1 + (i % 4);
      for (let j = 0; j < rows; j++) {
        const amount = j === rows - 1 && i % 5 === 0 ? ((i * 37) % 40_000) / 100 : ((i * 37 + j * 101) % 40_000) / 100;
        purchases.push(`C${i},${email},S${(i + j) % stores},${amount.toFixed(2)},2026-01-${String(1 + ((i + j) % 28)).padStart(2, '0')}`);
      }
    }
    // The heavy buyer, a reader with no other purchase (297 % 9 = 0).
    for (let j = 0; j < HEAVY_ROWS; j++) purchases.push(`C297,${sha('r297@x.com')},S0,${(500 - j / 100).toFixed(2)},2026-03-01`);
    // Customers who are not readers: never counted.
    for (let i = 1000; i < 1020; i++) purchases.push(`C${i},${sha(`c${i}@y.com`)},S1,10.00,2026-01-05`);
    writeFileSync(join(dir, 'readers.csv'), `${readers.join('\n')}\n`);
    writeFileSync(join(dir, 'purchases.csv'), `${purchases.join('\n')}\n`);
    const template = dpTemplate();
    await store.loadCsv(join(dir, 'readers.csv'), loadPlanFor(template, 'readers'));
    await store.loadCsv(join(dir, 'purchases.csv'), loadPlanFor(template, 'purchases'));
    await resolveIdentity(store, template, 'readers', 'purchases');
  });
  afterAll(async () => engine.close());

  /** The compiled DP query's rows, as comparable text. */
  const bounded = async (template: Template, groupBy: string[], seed: string, to?: string): Promise<string[]> => {
    const plan = compileDpAggregate(template, 'spend', { group_by: groupBy, ...(to ? { to } : {}) }, seed);
    return rowsText((await store.query(plan.sql, plan.params)).rows, groupBy);
  };

  /**
   * The definition, ranking everything: per (person, group of purchases) the m rows of smallest
   * `hash(seed, person, steps)`, per matched person the k groups of smallest `hash(seed, pid, keys)`.
   */
  const reference = async (template: Template, groupBy: string[], seed: string, k: number, m: number, to?: string, cap?: [number, number]): Promise<string[]> => {
    const amount = { type: 'decimal' as const, range: { min: 0, max: 500 }, resolution: 0.01 };
    const dims = (dataset: string) => groupBy.filter((g) => g.startsWith(`${dataset}.`)).map((g) => `x.${ident(g.split('.')[1]!)} AS ${ident(g)}`);
    const keys = groupBy.map((g) => ident(g));
    const bDims = groupBy.filter((g) => g.startsWith('purchases.')).map((g) => ident(g));
    const sql = `WITH m AS (SELECT ${ident(matchColumn('readers'))} AS pa, ${ident(matchColumn('purchases'))} AS pb FROM ${ident(matchTable('readers', 'purchases'))}),
      a AS (SELECT DISTINCT ${[`${personExpression(template, 'readers', 'x')} AS person`, ...dims('readers')].join(', ')} FROM readers x),
      r AS (SELECT ${[`${personExpression(template, 'purchases', 'x')} AS person`, ...dims('purchases'), `${stepsSql('x.amount', amount)} AS v`].join(', ')} FROM purchases x${to ? ` WHERE x.day <= DATE '${to}'` : ''}),
      rr AS (SELECT *, row_number() OVER (PARTITION BY ${['person', ...bDims].join(', ')} ORDER BY hash('${seed}', person, v)) AS rn FROM r),
      b AS (SELECT ${['person', ...bDims].join(', ')}, ${cap ? `least(greatest(sum(v), ${cap[0]}), ${cap[1]})` : 'sum(v)'} AS v FROM rr WHERE rn <= ${m} GROUP BY ALL),
      g AS (SELECT ${['m.pa AS pid', ...keys, 'b.v'].join(', ')} FROM m JOIN a ON a.person = m.pa JOIN b ON b.person = m.pb),
      gg AS (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY hash(${[`'${seed}'`, 'pid', ...keys].join(', ')})) AS gn FROM g)
      SELECT ${[...keys, 'count(*) AS people', 'sum(v) AS "purchases.amount.steps"'].join(', ')} FROM gg WHERE gn <= ${k}${keys.length > 0 ? ' GROUP BY ALL' : ''}`;
    return rowsText((await store.query(sql)).rows, groupBy);
  };

  it.each([
    [1, 1],
    [1, 3],
    [2, 2],
    [3, 5],
    [4, 9],
  ])('agrees with ranking every row and group, k = %i, m = %i, for every grouping and several seeds', async (k, m) => {
    const template = dpTemplate({ maxGroupsPerPerson: k, maxRowsPerGroup: m });
    for (const groupBy of [[], ['purchases.store'], ['readers.segment'], ['readers.segment', 'purchases.store'], ['readers.city']]) {
      for (const seed of ['s1', 'seed-two', '0123456789abcdef']) {
        for (const to of [undefined, '2026-01-31']) {
          expect(await bounded(template, groupBy, seed, to), `${groupBy.join('+')} ${seed} ${to ?? ''}`).toEqual(await reference(template, groupBy, seed, k, m, to));
        }
      }
    }
  });

  it.each([
    [1, 3],
    [2, 2],
    [3, 5],
    [4, 1000],
  ])('with a cap on each person\'s total, agrees with clamping every (person, group) total after the m bound, k = %i, m = %i', async (k, m) => {
    // [0, 600.00] in cents: the heavy buyer's 1 000 rows, and several buyers' rows in a store, exceed it.
    const cap: [number, number] = [0, 60_000];
    const template = dpTemplate({ maxGroupsPerPerson: k, maxRowsPerGroup: m, personTotal: [0, 600] });
    for (const groupBy of [[], ['purchases.store'], ['readers.segment', 'purchases.store'], ['readers.city']]) {
      for (const seed of ['s1', '0123456789abcdef']) {
        for (const to of [undefined, '2026-01-31']) {
          expect(await bounded(template, groupBy, seed, to), `${groupBy.join('+')} ${seed} ${to ?? ''}`).toEqual(await reference(template, groupBy, seed, k, m, to, cap));
        }
      }
    }
    // The cap binds in this data: without it the sums differ.
    expect(await reference(template, [], 's1', k, m, undefined, cap)).not.toEqual(await reference(template, [], 's1', k, m));
  });

  it('the data makes both bounds bind at small k and m and neither at large ones', async () => {
    const unbounded = (groupBy: string[]): Promise<string[]> => reference(dpTemplate(), groupBy, 's1', 100_000, 100_000);
    // m binds: the heavy buyer's 1 000 rows and buyers with up to 8 rows in one store.
    expect(await reference(dpTemplate(), [], 's1', 1, 1)).not.toEqual(await unbounded([]));
    // k binds: buyers in up to 4 stores.
    expect(await reference(dpTemplate(), ['purchases.store'], 's1', 1, 100_000)).not.toEqual(await unbounded(['purchases.store']));
    // At k = 4 and m = 9 no January buyer is bounded: the plain sums and every group are kept.
    const january = reference(dpTemplate(), ['purchases.store'], 's1', 100_000, 100_000, '2026-01-31');
    expect(await bounded(dpTemplate({ maxGroupsPerPerson: 4, maxRowsPerGroup: 9 }), ['purchases.store'], 's1', '2026-01-31')).toEqual(await january);
  });

  it('a person with 1 000 rows moves a sum by at most m·B; one with 3 rows keeps all 3 when m = 3', async () => {
    for (const m of [1, 3, 5]) {
      const template = dpTemplate({ maxRowsPerGroup: m });
      for (const seed of ['a1', 'b2', 'c3']) {
        const january = await stepsOf(template, seed, '2026-01-31');
        const all = await stepsOf(template, seed);
        // Only the heavy buyer's March rows differ.
        expect(all.people).toBe(january.people + 1);
        const moved = all.steps - january.steps;
        expect(moved).toBeGreaterThan(0n);
        expect(moved).toBeLessThanOrEqual(BigInt(m) * 50_000n); // B = 500.00 = 50 000 steps
        expect(moved).toBeGreaterThanOrEqual(BigInt(m) * (50_000n - BigInt(HEAVY_ROWS))); // the rows are 490.01–500.00
      }
    }
    // Buyer THREE has 3 purchases on 2026-01-10 (123.45, 67.89, 450.00); everyone else at most 1 that day.
    const { rows } = await store.query(`SELECT count(*) AS n FROM purchases WHERE customer_id = 'C${THREE}' AND day = DATE '2026-01-10'`);
    expect(Number(rows[0]!.n)).toBe(3);
    const shelbyville = async (m: number): Promise<bigint> => {
      const plan = compileDpAggregate(dpTemplate({ maxRowsPerGroup: m }), 'spend', { group_by: ['readers.city'], from: '2026-01-10', to: '2026-01-10' }, 'x');
      const row = (await store.query(plan.sql, plan.params)).rows.find((r) => r['readers.city'] === 'shelbyville')!;
      return BigInt(String(row['purchases.amount.steps']));
    };
    const kept3 = await shelbyville(3);
    expect(kept3).toBe(await shelbyville(1000)); // m = 3 binds for nobody that day: all 3 rows are kept
    expect([12_345n, 6_789n, 45_000n]).toContain(kept3 - (await shelbyville(2))); // m = 2 drops one of the three
  });

  /** The no-grouping DP query's people and steps. */
  async function stepsOf(template: Template, seed: string, to?: string): Promise<{ people: number; steps: bigint }> {
    const plan = compileDpAggregate(template, 'spend', { group_by: [], ...(to ? { to } : {}) }, seed);
    const row = (await store.query(plan.sql, plan.params)).rows[0]!;
    return { people: Number(row.people), steps: BigInt(String(row['purchases.amount.steps'])) };
  }
});

/** Rows as sorted text (keys, people, steps), so that value types and order do not matter. */
function rowsText(rows: readonly Record<string, Cell>[], groupBy: readonly string[]): string[] {
  return rows.map((row) => [...groupBy.map((g) => String(row[g])), String(row.people), String(row['purchases.amount.steps'] ?? 'null')].join(' | ')).sort();
}
