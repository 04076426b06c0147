import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkCustomSql } from '../../core/custom-sql/index.js';
import type { AggregationRules } from '../../core/custom-sql/index.js';
import { SqlSerializer } from './serialize-sql.js';

let serializer: SqlSerializer;
beforeAll(async () => {
  serializer = await SqlSerializer.open();
});
afterAll(() => serializer.close());

function withoutLocations(tree: unknown): string {
  return JSON.stringify(tree, (key, value: unknown) => (key === 'query_location' ? undefined : value));
}

describe('SqlSerializer', () => {
  test('gives DuckDB’s tree of one SELECT', async () => {
    const tree = (await serializer.serialize('SELECT count(*) FROM exposures')) as { error: boolean; statements: { node: { type: string } }[] };
    expect(tree.error).toBe(false);
    expect(tree.statements.map((s) => s.node.type)).toEqual(['SELECT_NODE']);
  });
  test('keeps the count of several statements visible', async () => {
    const tree = (await serializer.serialize('SELECT 1; DROP TABLE x')) as { statements: unknown[] };
    expect(tree.statements).toHaveLength(2);
  });
  test('marks a statement that is not a SELECT as an error', async () => {
    expect(await serializer.serialize("COPY x TO '/tmp/y.csv'")).toMatchObject({ error: true });
  });
  test('refuses text that does not parse and control characters', async () => {
    await expect(serializer.serialize('SELEC 1')).rejects.toMatchObject({ code: 'refused', details: { reason: 'it does not parse' } });
    await expect(serializer.serialize('SELECT 1\u0001')).rejects.toMatchObject({ code: 'refused' });
  });
  test('re-emits a tree as SQL that parses back to the same tree', async () => {
    const sql = "SELECT c.region, count(DISTINCT c.email) AS n FROM customers c JOIN devices d ON c.email = d.email WHERE c.region IN ('x''; DROP TABLE t; --', 'y') GROUP BY c.region HAVING count(*) > 10";
    const tree = await serializer.serialize(sql);
    const emitted = await serializer.deserialize(tree);
    expect(emitted).toContain("'x''; DROP TABLE t; --'");
    expect(withoutLocations(await serializer.serialize(emitted))).toBe(withoutLocations(tree));
  });
});

describe('custom SQL the checker accepts runs on DuckDB once re-emitted', () => {
  const rules: AggregationRules = {
    datasets: {
      customers: { owner: 'p1', columns: { email: { join: true, aggregates: ['count_distinct'] }, region: { dimension: true }, day: { dimension: true, type: 'date' }, premium: { aggregates: ['sum', 'avg'], type: 'number' } } },
      devices: { owner: 'p2', columns: { email: { join: true }, product: { dimension: true } } },
    },
    runner: 'p1',
    mustJoinOwnData: true,
  };
  const queries = [
    "SELECT c.region, count(DISTINCT c.email) AS people FROM customers c JOIN devices d ON c.email = d.email WHERE c.region <> 'x' GROUP BY c.region",
    "SELECT d.product, date_trunc('month', c.day) AS m, sum(c.premium) AS s, avg(c.premium) AS a, count(*) AS n FROM customers c JOIN devices d ON c.email = d.email WHERE c.day >= '2024-01-01' GROUP BY d.product, date_trunc('month', c.day) HAVING count(*) > 1",
    "SELECT coalesce(upper(c.region), 'NONE') AS \"Region Name\", count(*) FILTER (WHERE year(c.day) = 2024) AS n FROM customers c JOIN devices d ON c.email = d.email GROUP BY coalesce(upper(c.region), 'NONE')",
  ];
  test('each query checks, re-emits and returns rows', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE customers AS SELECT 'e' || x AS email, CASE WHEN x % 2 = 0 THEN 'n' ELSE 's' END AS region, DATE '2024-01-01' + CAST(x AS INTEGER) AS day, x * 1.5 AS premium FROM range(40) t(x)`);
      await connection.run(`CREATE TABLE devices AS SELECT 'e' || x AS email, 'p' || (x % 3) AS product FROM range(20) t(x)`);
      for (const sql of queries) {
        const checked = checkCustomSql(await serializer.serialize(sql), rules);
        if (!checked.ok) throw new Error(checked.refusal.message);
        const reader = await connection.runAndReadAll(await serializer.deserialize(checked.plan.tree));
        expect(reader.getRows().length, sql).toBeGreaterThan(0);
        expect(reader.columnNames(), sql).toEqual(checked.plan.outputs.map((o) => o.name));
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
