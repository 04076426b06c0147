import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationRulesFor } from '../src/core/analyses/sql/aggregation-rules-for.js';
import { dpQuery } from '../src/core/analyses/sql/dp-query.js';
import { personNodes } from '../src/core/analyses/sql/person-nodes.js';
import { checkCustomSql } from '../src/core/custom-sql/index.js';
import type { Cell } from '../src/core/engine-port.js';
import { roomFixture } from '../src/engine/duckdb/room-fixture.js';
import type { RoomFixture } from '../src/engine/duckdb/room-fixture.js';
import { dpTemplateJson, loadRetailData, templateOf } from './helpers/sql-room-data.js';

// The custom-SQL DP rewrite ranks rows and groups only where a bound binds (pairs above m
// rows, people above k groups) and keeps every row elsewhere. Held here to the definition: a
// reference that ranks EVERY row and EVERY group of every person by the same keyed hashes
// (two windows over all rows) must keep exactly the same rows, so every aggregate agrees.
// Real DuckDB room, ready template retail-media-insights-dp; customers buy 1 to 3 times, in
// 1 to 3 categories and stores, one segment each.

const JOIN = 'FROM purchases p JOIN readers r ON p.email = r.email';

describe('custom SQL under DP: bounding only where a bound binds keeps what ranking everything keeps', () => {
  let fixture: RoomFixture;

  beforeAll(async () => {
    fixture = await roomFixture({ encryption: 'off' });
    await loadRetailData(fixture, templateOf(dpTemplateJson()));
  });
  afterAll(async () => fixture.dispose());

  /** The rewrite's rows, and the reference's: the same final aggregation over rows kept by ranking everything. */
  const both = async (sql: string, k: number, m: number, seed: string): Promise<[string[], string[]]> => {
    const json = dpTemplateJson();
    json.analyses.custom_sql.dp = { epsilon: 1, maxGroupsPerPerson: k, maxRowsPerGroup: m, resolution: 0.01 };
    const template = templateOf(json);
    const check = checkCustomSql(await fixture.room.parseSql(sql), aggregationRulesFor(template, 'custom_sql', ['retailer']));
    if (!check.ok) throw new Error(check.refusal.message);
    const [unit] = await personNodes(fixture.room, template, [{ alias: 'r', dataset: 'readers' }]);
    const dp = dpQuery(check.plan, template, 'custom_sql', unit!);
    const inner = await fixture.room.printSql(dp.inner);
    const query = dp.sql(inner, seed);
    const columns = Object.keys((await fixture.room.query(`SELECT * FROM (${inner}) LIMIT 1`)).rows[0]!);
    const g = columns.filter((c) => c.startsWith('__g'));
    const v = columns.filter((c) => c.startsWith('__v'));
    const list = (cols: readonly string[]): string => cols.map((c) => `, ${c}`).join('');
    const lines = query.sql.split('\n');
    const final = lines.slice(lines.findIndex((line) => line.startsWith('SELECT ')));
    expect(final[1]).toBe('FROM kept');
    const reference = [
      `WITH src AS (SELECT * FROM (${inner}) WHERE __pid IS NOT NULL),`,
      'ranked AS (SELECT *,',
      `  dense_rank() OVER (PARTITION BY __pid ORDER BY hash('${seed}', __pid${list(g)})${list(g)}) AS __group_rank,`,
      `  row_number() OVER (PARTITION BY __pid${list(g)} ORDER BY hash('${seed}', __pid${list(g)}${list(v)})) AS __row_rank FROM src),`,
      `kept AS (SELECT * EXCLUDE (__group_rank, __row_rank) FROM ranked WHERE __group_rank <= ${k} AND __row_rank <= ${m})`,
      ...final,
    ].join('\n');
    const text = (rows: readonly Record<string, Cell>[]): string[] => rows.map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))).sort();
    return [text((await fixture.room.query(query.sql, query.params)).rows), text((await fixture.room.query(reference, query.params)).rows)];
  };

  it.each([
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
    [3, 3],
  ])('agrees with ranking every row and group, k = %i, m = %i, for grouped, ungrouped and filtered aggregates', async (k, m) => {
    const queries = [
      `SELECT r.segment, count(*) AS n, sum(p.amount) AS s ${JOIN} GROUP BY r.segment`,
      `SELECT p.category, count(*) AS n, avg(p.amount) AS a ${JOIN} GROUP BY p.category`,
      `SELECT count(*) AS n, sum(p.amount) AS s ${JOIN}`,
      `SELECT r.segment, p.store, count(*) FILTER (WHERE p.category = 'grocery') AS grocery, sum(p.amount) AS s ${JOIN} GROUP BY r.segment, p.store`,
      `SELECT p.category, count(DISTINCT p.store) AS stores, sum(p.amount) AS s ${JOIN} GROUP BY p.category`,
    ];
    for (const sql of queries) {
      for (const seed of ['one', 'two', 'three']) {
        const [rewritten, reference] = await both(sql, k, m, seed);
        expect(rewritten, `${sql} / ${seed}`).toEqual(reference);
      }
    }
  });

  it('the bounds bind in this data at k = m = 1 and not at k = m = 3', async () => {
    const bySegment = `SELECT r.segment, count(*) AS n ${JOIN} GROUP BY r.segment`;
    const byCategory = `SELECT p.category, count(*) AS n ${JOIN} GROUP BY p.category`;
    // Engine rows: the first aggregate's column is c0.
    const total = (rows: string[]): number => rows.reduce((sum, row) => sum + Number((JSON.parse(row) as [string, Cell][]).find(([c]) => c === 'c0')![1]), 0);
    const [tightRows] = await both(bySegment, 1, 1, 'one');
    const [looseRows] = await both(bySegment, 3, 3, 'one');
    expect(total(tightRows)).toBeLessThan(total(looseRows)); // m = 1 drops rows of people with 2 or 3 purchases
    const [tightGroups] = await both(byCategory, 1, 3, 'one');
    const [looseGroups] = await both(byCategory, 3, 3, 'one');
    expect(total(tightGroups)).toBeLessThan(total(looseGroups)); // k = 1 drops categories of people in 2 or 3
  });
});
