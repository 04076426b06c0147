import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aggregationRulesFor } from '../src/core/analyses/sql/aggregation-rules-for.js';
import { executeSqlAnalysis } from '../src/core/analyses/sql/execute-sql-analysis.js';
import { checkCustomSql } from '../src/core/custom-sql/index.js';
import type { AggregationRules } from '../src/core/custom-sql/index.js';
import { CleanRoomError } from '../src/core/errors.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { roomFixture } from '../src/engine/duckdb/room-fixture.js';
import type { RoomFixture } from '../src/engine/duckdb/room-fixture.js';
import { SqlSerializer } from '../src/engine/duckdb/serialize-sql.js';
import { recording } from './helpers/sql-room-data.js';

// Every trick of DESIGN.md "What attackers will try" that SQL text can carry, parsed by DuckDB
// itself and refused by the checker with the rule that names it — before anything executes.

const rules: AggregationRules = {
  datasets: {
    customers: {
      owner: 'insurer',
      columns: {
        email: { join: true, aggregates: ['count_distinct'] },
        phone: { join: true },
        user_id: {},
        region: { dimension: true },
        segment: { dimension: true },
        signup_day: { dimension: true, type: 'date' },
        premium: { aggregates: ['sum', 'avg'], type: 'number' },
      },
    },
    devices: {
      owner: 'security',
      columns: {
        email: { join: true, aggregates: ['count_distinct'] },
        phone: { join: true },
        device_id: {},
        product: { dimension: true },
        seats: { aggregates: ['sum'], type: 'number' },
      },
    },
  },
  runner: 'insurer',
  mustJoinOwnData: true,
};

const JOIN = 'FROM customers c JOIN devices d ON c.email = d.email';

let serializer: SqlSerializer;
beforeAll(async () => {
  serializer = await SqlSerializer.open();
});
afterAll(() => serializer.close());

async function check(sql: string, custom: AggregationRules = rules): Promise<ReturnType<typeof checkCustomSql>> {
  return checkCustomSql(await serializer.serialize(sql), custom);
}

describe('allowed queries pass', () => {
  test('count distinct people per dimension, joined on a match key', async () => {
    const result = await check(`SELECT c.region, count(DISTINCT c.email) AS people ${JOIN} GROUP BY c.region`);
    expect(result).toMatchObject({
      ok: true,
      plan: {
        datasets: ['customers', 'devices'],
        joins: [{ left: { dataset: 'customers', column: 'email' }, right: { dataset: 'devices', column: 'email' } }],
        outputs: [
          { name: 'region', kind: 'group_key', columns: [{ dataset: 'customers', column: 'region' }] },
          { name: 'people', kind: 'aggregate', aggregates: ['count_distinct'], columns: [{ dataset: 'customers', column: 'email' }] },
        ],
      },
    });
  });
  test('sum and avg of measures, count(*)', async () => {
    const result = await check(`SELECT d.product, sum(c.premium) AS p, avg(c.premium) AS a, sum(d.seats) AS s, count(*) AS n ${JOIN} GROUP BY d.product`);
    expect(result.ok).toBe(true);
  });
  test('filters on dimensions with constants, allowed scalars, HAVING on an aggregate', async () => {
    const result = await check(`SELECT year(c.signup_day) AS y, lower(d.product) AS p, count(*) AS n ${JOIN} AND c.phone = d.phone
      WHERE c.region IN ('north', 'south') AND c.signup_day BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' AND NOT c.segment IS NULL
      GROUP BY year(c.signup_day), lower(d.product) HAVING count(*) > 10`);
    expect(result.ok).toBe(true);
  });
  test('doubles and small decimals are carried exactly', async () => {
    expect((await check(`SELECT count(*) AS n ${JOIN} WHERE year(c.signup_day) < 1e300 AND month(c.signup_day) > 1.5`)).ok).toBe(true);
  });
  test('coalesce, and a date compared with a string literal', async () => {
    expect((await check(`SELECT coalesce(c.region, 'none') AS r, count(*) AS n ${JOIN} WHERE c.signup_day >= '2024-01-01' GROUP BY coalesce(c.region, 'none')`)).ok).toBe(true);
  });
  test('a CASE over dimensions and TRY_CAST', async () => {
    const result = await check(`SELECT CASE WHEN c.region = 'north' THEN 'n' ELSE 'other' END AS r, count(*) AS n ${JOIN}
      WHERE TRY_CAST(c.segment AS INTEGER) > 2 AND c.signup_day >= CAST('2024-01-01' AS DATE)
      GROUP BY CASE WHEN c.region = 'north' THEN 'n' ELSE 'other' END`);
    expect(result.ok).toBe(true);
  });
  test('a string constant holding a second statement and a comment stays a value', async () => {
    const result = await check(`SELECT count(*) AS n ${JOIN} WHERE c.region = 'x''; DROP TABLE customers; --' /* note */`);
    expect(result.ok).toBe(true);
  });
  test('aggregate without GROUP BY', async () => {
    expect((await check(`SELECT count(DISTINCT d.email) AS n ${JOIN}`)).ok).toBe(true);
  });
  test('the checked tree, re-emitted by DuckDB, parses back to a tree that checks the same', async () => {
    const queries = [
      `SELECT c.region, count(DISTINCT c.email) AS people ${JOIN} GROUP BY c.region`,
      `SELECT d.product, sum(c.premium) AS p, avg(c.premium) AS a ${JOIN} WHERE c.segment <> 'x' GROUP BY d.product HAVING count(*) >= 50`,
      `SELECT date_trunc('month', c.signup_day) AS m, count(*) AS n ${JOIN} GROUP BY date_trunc('month', c.signup_day)`,
    ];
    for (const sql of queries) {
      const first = checkCustomSql(await serializer.serialize(sql), rules);
      if (!first.ok) throw new Error(first.refusal.message);
      const again = checkCustomSql(await serializer.serialize(await serializer.deserialize(first.plan.tree)), rules);
      if (!again.ok) throw new Error(again.refusal.message);
      expect(again.plan.outputs).toEqual(first.plan.outputs);
    }
  });
});

const attacks: Record<string, [sql: string, rule: string, column?: string]> = {
  // Identifiers anywhere but the join
  'an identifier in the select list': [`SELECT c.email ${JOIN} GROUP BY c.email`, 'identifier-column', 'customers.email'],
  'SELECT email FROM customers': ['SELECT email FROM customers', 'identifier-column', 'customers.email'],
  'a person key in the select list': [`SELECT c.user_id, count(*) ${JOIN} GROUP BY c.user_id`, 'identifier-column', 'customers.user_id'],
  'a filter on an identifier': [`SELECT count(*) ${JOIN} WHERE c.email = 'abc123'`, 'identifier-column', 'customers.email'],
  'CASE WHEN on an identifier': [`SELECT CASE WHEN c.email = 'abc' THEN 'x' ELSE 'y' END AS k, count(*) ${JOIN} GROUP BY CASE WHEN c.email = 'abc' THEN 'x' ELSE 'y' END`, 'identifier-column', 'customers.email'],
  'CASE inside an aggregate (a filter on a measure)': [`SELECT sum(CASE WHEN c.premium > 1000 THEN 1 ELSE 0 END) ${JOIN}`, 'aggregate-argument'],
  'arithmetic inside an aggregate (an overflow oracle)': [`SELECT sum(d.seats * 9223372036854775807) ${JOIN}`, 'aggregate-argument'],
  'CAST of a measure inside an aggregate (an error oracle)': [`SELECT sum(CAST(c.premium AS TINYINT)) ${JOIN}`, 'aggregate-argument'],
  'a CAST of a dimension that can fail (an error oracle)': [`SELECT count(*) ${JOIN} WHERE c.segment = 'vip' AND CAST(c.region AS INTEGER) = 1`, 'cast-may-fail'],
  'date_trunc with a part read from a row (an error oracle)': [`SELECT count(*) ${JOIN} WHERE date_trunc(c.region, c.signup_day) IS NULL`, 'function-argument'],
  'a text dimension compared with a number (a conversion-error oracle)': [`SELECT count(*) ${JOIN} WHERE c.segment = 'vip' AND c.region = 1`, 'type-mismatch'],
  'a text dimension IN numbers': [`SELECT count(*) ${JOIN} WHERE c.region IN (1, 2)`, 'type-mismatch'],
  'a text dimension compared with a date dimension': [`SELECT count(*) ${JOIN} WHERE c.region = c.signup_day`, 'type-mismatch'],
  'a CASE mixing text from rows and numbers': [`SELECT CASE WHEN c.segment = 'x' THEN c.region ELSE 0 END AS k, count(*) ${JOIN} GROUP BY CASE WHEN c.segment = 'x' THEN c.region ELSE 0 END`, 'type-mismatch'],
  'coalesce of text and a number': [`SELECT count(*) ${JOIN} WHERE coalesce(c.region, 0) IS NULL`, 'type-mismatch'],
  'a text dimension as a WHERE condition (a conversion-error oracle)': [`SELECT count(*) ${JOIN} WHERE c.region`, 'type-mismatch'],
  'a text dimension under NOT': [`SELECT count(*) ${JOIN} WHERE NOT c.region`, 'type-mismatch'],
  'a text dimension in AND': [`SELECT count(*) ${JOIN} WHERE c.segment = 'vip' AND c.region`, 'type-mismatch'],
  'a text dimension as CASE WHEN': [`SELECT CASE WHEN c.region THEN 'a' ELSE 'b' END AS k, count(*) ${JOIN} GROUP BY CASE WHEN c.region THEN 'a' ELSE 'b' END`, 'type-mismatch'],
  'a text dimension as an aggregate FILTER': [`SELECT count(*) FILTER (WHERE c.region) ${JOIN}`, 'type-mismatch'],
  'a text dimension as HAVING': [`SELECT c.region, count(*) ${JOIN} GROUP BY c.region HAVING lower(c.region)`, 'type-mismatch'],
  'arithmetic on a dimension': [`SELECT count(*) ${JOIN} WHERE year(c.signup_day) + 1 = 2025`, 'function-not-allowed'],
  'division by a dimension-derived zero': [`SELECT count(*) ${JOIN} WHERE 1 / (month(c.signup_day) - 3) > 0`, 'function-not-allowed'],
  'GROUP BY an identifier': [`SELECT count(*) ${JOIN} GROUP BY d.device_id`, 'identifier-column', 'devices.device_id'],
  'HAVING on an identifier': [`SELECT c.region, count(*) ${JOIN} GROUP BY c.region HAVING c.region = 'n' AND d.email = 'x'`, 'identifier-column', 'devices.email'],
  'min() in HAVING': [`SELECT count(*) ${JOIN} GROUP BY c.region HAVING min(c.user_id) = 'x'`, 'aggregate-not-allowed'],
  'an identifier aliased under a dimension name, grouped by that name': [`SELECT c.email AS region, count(*) ${JOIN} GROUP BY region`, 'identifier-column', 'customers.email'],
  'count(DISTINCT) of a match key that does not allow it': [`SELECT count(DISTINCT c.phone) ${JOIN}`, 'identifier-column', 'customers.phone'],
  'count() of an identifier that allows only count(DISTINCT)': [`SELECT count(c.email) ${JOIN}`, 'identifier-column', 'customers.email'],
  'an identifier in an allowed scalar in the select list': [`SELECT upper(d.email) AS e, count(*) ${JOIN} GROUP BY upper(d.email)`, 'identifier-column', 'devices.email'],
  'an identifier cast in a filter': [`SELECT count(*) ${JOIN} WHERE TRY_CAST(c.user_id AS VARCHAR) = 'a'`, 'identifier-column', 'customers.user_id'],
  'an identifier in BETWEEN': [`SELECT count(*) ${JOIN} WHERE c.email BETWEEN 'a' AND 'b'`, 'identifier-column', 'customers.email'],
  'an identifier in IN': [`SELECT count(*) ${JOIN} WHERE d.device_id IN ('x', 'y')`, 'identifier-column', 'devices.device_id'],
  'a self-join that reads only the runner': [`SELECT count(*) FROM customers a JOIN customers b ON a.email = b.email`, 'runner-join'],
  'a join comparing one side with itself': [`SELECT count(*) FROM customers c JOIN devices d ON c.email = c.phone`, 'join-condition'],
  'a table alias named like a column': [`SELECT count(*) FROM customers region JOIN devices d ON region.email = d.email`, 'alias-shadows-column', 'region'],
  'a whole row as a value (bare table alias)': [`SELECT count(DISTINCT c) ${JOIN}`, 'unknown-column', 'c'],
  'a struct field path': [`SELECT count(*) ${JOIN} WHERE c.region.x = 'a'`, 'qualified-column'],
  'a BIGINT constant past 2^53 on a dimension': [`SELECT count(*) ${JOIN} WHERE year(c.signup_day) = 9007199254740993`, 'constant-precision'],
  'a HUGEINT constant': [`SELECT count(*) ${JOIN} WHERE year(c.signup_day) = 170141183460469231731687303715884105727`, 'constant-precision'],
  'an unnamed computed output': [`SELECT c.region, count(*) ${JOIN} GROUP BY c.region`, 'output-name'],
  'two outputs with one name': [`SELECT count(*) AS n, count(DISTINCT c.email) AS "N" ${JOIN}`, 'duplicate-output', 'N'],
  'a duplicate alias': [`SELECT count(*) FROM customers c JOIN devices c ON c.email = c.email`, 'duplicate-alias'],
  'an identifier inside a function argument': [`SELECT count(*) ${JOIN} WHERE lower(c.email) = 'x'`, 'identifier-column', 'customers.email'],
  'an identifier inside an aggregate expression': [`SELECT count(DISTINCT lower(c.email)) ${JOIN}`, 'aggregate-argument'],
  'a quoted identifier spelt in capitals': [`SELECT c."EMAIL", count(*) ${JOIN} GROUP BY c."EMAIL"`, 'identifier-column', 'customers.email'],
  'an identifier aliased as a dimension': [`SELECT c.email AS region ${JOIN} GROUP BY 1`, 'group-by-position'],
  'an aggregate output named like a column': [`SELECT count(*) AS region ${JOIN} GROUP BY c.region`, 'alias-shadows-column', 'region'],
  'sum over an identifier': [`SELECT sum(c.user_id) ${JOIN}`, 'identifier-column', 'customers.user_id'],
  'a measure outside an aggregate': [`SELECT c.premium, count(*) ${JOIN} GROUP BY c.premium`, 'measure-outside-aggregate', 'customers.premium'],
  'a filter on a measure (tracker)': [`SELECT count(*) ${JOIN} WHERE c.premium = 1234.56`, 'measure-outside-aggregate', 'customers.premium'],
  'an aggregate not allowed on that column': [`SELECT avg(d.seats) ${JOIN}`, 'aggregate-not-allowed-on-column', 'devices.seats'],
  'a column not grouped': [`SELECT c.region, count(*) ${JOIN}`, 'not-grouped', 'customers.region'],
  // Aggregates that return one person's value
  'max of a measure': [`SELECT max(c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'min': [`SELECT min(c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'any_value': [`SELECT any_value(c.region) ${JOIN}`, 'aggregate-not-allowed'],
  'first': [`SELECT first(c.region) ${JOIN}`, 'aggregate-not-allowed'],
  'arg_max': [`SELECT arg_max(c.email, c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'list': [`SELECT list(c.email) ${JOIN}`, 'aggregate-not-allowed'],
  'array_agg': [`SELECT array_agg(c.region) ${JOIN}`, 'aggregate-not-allowed'],
  'string_agg': [`SELECT string_agg(c.email, ',') ${JOIN}`, 'aggregate-not-allowed'],
  'histogram': [`SELECT histogram(c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'quantile': [`SELECT quantile_cont(c.premium, 0.99) ${JOIN}`, 'aggregate-not-allowed'],
  'median': [`SELECT median(c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'mode': [`SELECT mode(c.region) ${JOIN}`, 'aggregate-not-allowed'],
  'sum(DISTINCT)': [`SELECT sum(DISTINCT c.premium) ${JOIN}`, 'aggregate-not-allowed'],
  'an ordered aggregate': [`SELECT count(c.region ORDER BY c.region) ${JOIN}`, 'aggregate-not-allowed'],
  'an aggregate FILTER on an identifier': [`SELECT count(*) FILTER (WHERE c.email = 'x') ${JOIN}`, 'identifier-column', 'customers.email'],
  'nested aggregates': [`SELECT sum(count(*)) ${JOIN}`, 'aggregate-argument'],
  // Grouping, windows, set operations, ordering
  'GROUP BY ROLLUP': [`SELECT c.region, count(*) ${JOIN} GROUP BY ROLLUP (c.region)`, 'grouping-sets'],
  'GROUP BY CUBE': [`SELECT c.region, d.product, count(*) ${JOIN} GROUP BY CUBE (c.region, d.product)`, 'grouping-sets'],
  'GROUPING SETS': [`SELECT c.region, count(*) ${JOIN} GROUP BY GROUPING SETS ((c.region), ())`, 'grouping-sets'],
  'GROUP BY ALL': [`SELECT c.region, count(*) ${JOIN} GROUP BY ALL`, 'group-by-all'],
  'row_number() OVER ()': [`SELECT row_number() OVER () ${JOIN}`, 'window-function'],
  'a windowed sum': [`SELECT sum(c.premium) OVER (PARTITION BY c.region) ${JOIN}`, 'window-function'],
  'UNION of a tiny group': [`SELECT count(*) ${JOIN} UNION ALL SELECT count(*) ${JOIN} WHERE c.region = 'x'`, 'set-operation'],
  'EXCEPT': [`SELECT c.region ${JOIN} EXCEPT SELECT c.region ${JOIN}`, 'set-operation'],
  'LIMIT 1': [`SELECT c.region, count(*) ${JOIN} GROUP BY c.region LIMIT 1`, 'limit'],
  'ORDER BY … LIMIT (top-k)': [`SELECT c.region, sum(c.premium) ${JOIN} GROUP BY c.region ORDER BY 2 DESC LIMIT 1`, 'order-by'],
  'OFFSET': [`SELECT count(*) ${JOIN} OFFSET 1`, 'limit'],
  'QUALIFY': [`SELECT c.region, count(*) AS n ${JOIN} GROUP BY c.region QUALIFY n > 1`, 'qualify'],
  'USING SAMPLE': [`SELECT count(*) ${JOIN} USING SAMPLE 1 ROWS`, 'sample'],
  'a sampled table': [`SELECT count(*) FROM customers c TABLESAMPLE 1 ROWS JOIN devices d ON c.email = d.email`, 'sample'],
  'SELECT DISTINCT': [`SELECT DISTINCT c.region ${JOIN}`, 'distinct'],
  // Tables, subqueries, CTEs
  'an unknown table': [`SELECT count(*) FROM payroll`, 'unknown-table'],
  'a match table directly': [`SELECT count(*) FROM match__customers__devices`, 'unknown-table'],
  'the difference check\'s memory of released people': [`SELECT sum(people) FROM room__released_populations`, 'unknown-table'],
  'the difference check\'s salt': [`SELECT salt FROM room__sketch_settings`, 'unknown-table'],
  'a system catalog view': [`SELECT count(*) FROM duckdb_settings()`, 'table-function'],
  'a qualified table': [`SELECT count(*) FROM other.main.customers c JOIN devices d ON c.email = d.email`, 'qualified-table'],
  'time travel': [`SELECT count(*) FROM customers c AT (VERSION => 1) JOIN devices d ON c.email = d.email`, 'time-travel'],
  'read_csv of /etc/passwd': [`SELECT * FROM read_csv('/etc/passwd')`, 'table-function'],
  "query('select …')": [`SELECT * FROM query('SELECT * FROM customers')`, 'table-function'],
  'glob': [`SELECT * FROM glob('/*')`, 'table-function'],
  'range': [`SELECT count(*) FROM range(10)`, 'table-function'],
  'a subquery in FROM': [`SELECT count(*) FROM (SELECT * FROM customers) c JOIN devices d ON c.email = d.email`, 'subquery'],
  'nested subqueries in WHERE': [`SELECT count(*) ${JOIN} WHERE c.region IN (SELECT region FROM (SELECT region FROM customers))`, 'subquery'],
  'a scalar subquery in the select list': [`SELECT (SELECT max(premium) FROM customers) ${JOIN}`, 'subquery'],
  'a CTE shadowing a table name': [`WITH devices AS (SELECT * FROM customers) SELECT count(*) ${JOIN}`, 'cte'],
  'VALUES as a table': [`SELECT count(*) FROM (VALUES (1)) v(x)`, 'subquery'],
  'a table alias renaming columns': [`SELECT count(*) FROM customers c(region) JOIN devices d ON c.email = d.email`, 'column-alias'],
  'no table at all': [`SELECT 1`, 'no-table'],
  'SELECT *': [`SELECT * ${JOIN}`, 'star'],
  'COLUMNS(…)': [`SELECT COLUMNS('prem.*') ${JOIN}`, 'star'],
  // Joins
  'a join on a dimension': [`SELECT count(*) FROM customers c JOIN devices d ON c.region = d.product`, 'join-column', 'customers.region'],
  'a LEFT JOIN': [`SELECT count(*) FROM customers c LEFT JOIN devices d ON c.email = d.email`, 'outer-join'],
  'a FULL OUTER JOIN': [`SELECT count(*) FROM customers c FULL JOIN devices d ON c.email = d.email`, 'outer-join'],
  'a cross join': [`SELECT count(*) FROM customers c CROSS JOIN devices d`, 'cross-join'],
  'a comma join': [`SELECT count(*) FROM customers c, devices d WHERE c.email = d.email`, 'cross-join'],
  'a non-equality join': [`SELECT count(*) FROM customers c JOIN devices d ON c.email < d.email`, 'join-condition'],
  'a join condition with a function': [`SELECT count(*) FROM customers c JOIN devices d ON lower(c.email) = d.email`, 'join-condition'],
  'a join condition with OR': [`SELECT count(*) FROM customers c JOIN devices d ON c.email = d.email OR c.phone = d.phone`, 'join-condition'],
  'a join smuggling a filter': [`SELECT count(*) FROM customers c JOIN devices d ON c.email = d.email AND c.email = 'abc'`, 'join-condition'],
  'a NATURAL JOIN': [`SELECT count(*) FROM customers NATURAL JOIN devices`, 'join-kind'],
  'an ASOF JOIN': [`SELECT count(*) FROM customers c ASOF JOIN devices d ON c.email = d.email AND c.signup_day >= d.product`, 'join-kind'],
  'a SEMI JOIN': [`SELECT count(*) FROM customers c SEMI JOIN devices d ON c.email = d.email`, 'outer-join'],
  'not joining the runner\'s own data': ['SELECT count(*) FROM devices', 'runner-join'],
  // Engine escapes and functions
  'current_setting': [`SELECT current_setting('threads') AS s, count(*) ${JOIN} GROUP BY current_setting('threads')`, 'function-not-allowed'],
  'current_setting in WHERE': [`SELECT count(*) ${JOIN} WHERE c.region = current_setting('threads')`, 'function-not-allowed'],
  'getenv': [`SELECT count(*) ${JOIN} WHERE c.region = getenv('HOME')`, 'function-not-allowed'],
  'enable_logging': [`SELECT count(*) ${JOIN} WHERE enable_logging() IS NULL`, 'function-not-allowed'],
  'a duckdb_ function': [`SELECT count(*) ${JOIN} WHERE c.region = duckdb_secrets()`, 'function-not-allowed'],
  'a function off the allow-list': [`SELECT count(*) ${JOIN} WHERE hash(c.region) % 2 = 0`, 'function-not-allowed'],
  'a schema-qualified function (macro)': [`SELECT count(*) ${JOIN} WHERE main.lower(c.region) = 'x'`, 'qualified-function'],
  'a lambda': [`SELECT count(*) ${JOIN} WHERE list_filter([1], x -> x > 0) IS NULL`, 'function-not-allowed'],
  'a struct/array extract': [`SELECT count(*) ${JOIN} WHERE c.region[1] = 'x'`, 'operator-not-allowed'],
  'a prepared parameter': [`SELECT count(*) ${JOIN} WHERE c.region = $1`, 'parameter'],
  'an unknown column': [`SELECT count(*) ${JOIN} WHERE c.salary > 0`, 'unknown-column', 'customers.salary'],
  'a prototype-named column': [`SELECT count(*) ${JOIN} WHERE c.constructor = 1`, 'unknown-column', 'customers.constructor'],
  'an ambiguous column': [`SELECT count(*) ${JOIN} WHERE email = 'x'`, 'ambiguous-column', 'email'],
  'SELECT 1; DROP TABLE x': ['SELECT 1; DROP TABLE x', 'one-statement'],
  'two SELECTs': [`SELECT count(*) ${JOIN}; SELECT count(*) ${JOIN}`, 'one-statement'],
  'COPY': [`COPY customers TO '/tmp/x.csv'`, 'select-only'],
  'ATTACH': [`ATTACH '/tmp/x.duckdb' AS x`, 'select-only'],
  'PRAGMA': ['PRAGMA database_list', 'select-only'],
  'SET': [`SET threads = 1`, 'select-only'],
  'CREATE MACRO': [`CREATE MACRO lower(x) AS x`, 'select-only'],
  'EXPORT DATABASE': [`EXPORT DATABASE '/tmp/x'`, 'select-only'],
  'INSTALL': ['INSTALL httpfs', 'select-only'],
  'PIVOT': [`PIVOT customers ON region USING count(*)`, 'one-statement'],
  'SUMMARIZE': ['SUMMARIZE customers', 'table-ref-not-allowed'],
  // More engine escapes and oracles (DESIGN.md, "What attackers will try")
  'read_text of a file': [`SELECT * FROM read_text('/etc/hostname')`, 'table-function'],
  'read_parquet joined to a dataset': [`SELECT count(*) FROM customers c JOIN read_parquet('/tmp/x.parquet') d ON c.email = d.email`, 'table-function'],
  'read_blob of the temp directory': [`SELECT count(*) FROM read_blob('/tmp/*')`, 'table-function'],
  'json_execute_serialized_sql as a scalar': [`SELECT count(*) ${JOIN} WHERE json_execute_serialized_sql('{}') IS NULL`, 'function-not-allowed'],
  'current_query() echoing the text': [`SELECT count(*) ${JOIN} WHERE current_query() IS NULL`, 'function-not-allowed'],
  'a LIKE pattern on a dimension': [`SELECT count(*) ${JOIN} WHERE c.region LIKE 'n%'`, 'function-not-allowed'],
  'a regexp over an identifier': [`SELECT count(*) ${JOIN} WHERE regexp_matches(c.email, '^ab')`, 'function-not-allowed'],
  'an IN list of guessed identifiers (membership oracle)': [`SELECT count(*) ${JOIN} WHERE d.email IN ('guess-one', 'guess-two')`, 'identifier-column', 'devices.email'],
  'a recursive CTE that never ends': [`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) ${JOIN}`, 'cte'],
  'INTERSECT': [`SELECT c.region ${JOIN} INTERSECT SELECT c.region ${JOIN}`, 'set-operation'],
  'ORDER BY alone': [`SELECT c.region, count(*) AS n ${JOIN} GROUP BY c.region ORDER BY n`, 'order-by'],
  'a system table by name': ['SELECT count(*) FROM sqlite_master', 'unknown-table'],
  'information_schema': ['SELECT count(*) FROM information_schema.tables', 'qualified-table'],
  'DESCRIBE': ['DESCRIBE customers', 'table-ref-not-allowed'],
  'LOAD an extension': ['LOAD httpfs', 'select-only'],
  'CALL a pragma': ['CALL pragma_version()', 'select-only'],
  'turning external access back on': ['SET enable_external_access = true', 'select-only'],
  'a temp view shadowing a dataset': ['CREATE TEMP VIEW devices AS SELECT * FROM customers', 'select-only'],
  'DETACH': ['DETACH room', 'select-only'],
  'UNPIVOT': ['UNPIVOT customers ON region, segment INTO NAME k VALUE v', 'table-ref-not-allowed'],
};

describe('attacks are refused with the rule that names them', () => {
  for (const [name, [sql, rule, column]] of Object.entries(attacks)) {
    test(name, async () => {
      const result = await check(sql);
      expect(result.ok, JSON.stringify(result)).toBe(false);
      if (result.ok) return;
      expect(result.refusal.rule, result.refusal.message).toBe(rule);
      if (column !== undefined) expect(result.refusal.column).toBe(column);
      expect(result.refusal.message).toMatch(/^Cannot run the custom SQL: /);
      // Never data: no string literal of the query comes back in the refusal.
      for (const [, literal] of sql.matchAll(/'([^']{4,})'/g)) expect(JSON.stringify(result.refusal)).not.toContain(literal);
    });
  }
  test('a refusal never carries a data value', async () => {
    const result = await check(`SELECT count(*) ${JOIN} WHERE c.email = 'secret-hash-value'`);
    expect(JSON.stringify(result)).not.toContain('secret-hash-value');
  });
  test('text that does not parse is refused by the serializer', async () => {
    await expect(serializer.serialize('SELEC nothing')).rejects.toMatchObject({ code: 'refused' });
  });
});

describe('every column in every place', () => {
  // Each column of both datasets as a group key and as a filter: only dimensions may pass.
  const columns = Object.entries(rules.datasets).flatMap(([dataset, rule]) =>
    Object.entries(rule.columns).map(([column, c]) => ({ ref: `${dataset === 'customers' ? 'c' : 'd'}.${column}`, dimension: c.dimension === true })),
  );
  test('a query is accepted exactly when its group key and its filter are dimensions', async () => {
    for (const key of columns) {
      for (const filter of columns) {
        const sql = `SELECT ${key.ref} AS k, count(*) AS n ${JOIN} WHERE ${filter.ref} IS NOT NULL GROUP BY ${key.ref}`;
        const result = await check(sql);
        expect(result.ok, sql).toBe(key.dimension && filter.dimension);
      }
    }
  });
  test('a column inside count(DISTINCT …) is accepted exactly when its rule allows it', async () => {
    for (const { ref } of columns) {
      const [alias, column] = ref.split('.') as [string, string];
      const rule = rules.datasets[alias === 'c' ? 'customers' : 'devices']!.columns[column]!;
      const result = await check(`SELECT count(DISTINCT ${ref}) AS n ${JOIN}`);
      expect(result.ok, ref).toBe(rule.dimension === true || (rule.aggregates ?? []).includes('count_distinct'));
    }
  });
});

describe('through the room: every attack is refused by a sql analysis run before anything executes', () => {
  // A template whose aggregation rules, built by aggregationRulesFor from column roles and the
  // analysis's rules, are the rules above; a real DuckDB room holding both datasets.
  const column = (type: string, extra: Record<string, unknown> = {}) => ({ type, required: false, description: 'A column.', ...extra });
  const templateJson = {
    name: 'attack-suite',
    title: 'Attack suite',
    version: '1.0.0',
    description: 'Customers of an insurer and devices of a security company, for the custom SQL attack suite.',
    roles: {
      insurer: { abilities: ['contributes', 'runs', 'receives'], description: 'The insurer.' },
      security: { abilities: ['contributes', 'runs', 'receives'], description: 'The security company.' },
    },
    datasets: {
      customers: {
        owner: 'insurer',
        description: 'Customers.',
        personKey: 'user_id',
        columns: {
          email: column('string', { identifier: 'email' }),
          phone: column('string', { identifier: 'phone' }),
          user_id: column('string', { role: 'person_key', required: true }),
          region: column('string', { role: 'dimension' }),
          segment: column('string', { role: 'dimension' }),
          signup_day: column('date', { role: 'dimension' }),
          premium: column('decimal', { role: 'measure', range: [0, 10000] }),
        },
      },
      devices: {
        owner: 'security',
        description: 'Devices.',
        personKey: 'device_id',
        columns: {
          email: column('string', { identifier: 'email' }),
          phone: column('string', { identifier: 'phone' }),
          device_id: column('string', { role: 'person_key', required: true }),
          product: column('string', { role: 'dimension' }),
          seats: column('integer', { role: 'measure', range: [0, 1000] }),
        },
      },
    },
    identity: { profile: 'default', hashing: 'client', matchKeys: [['email'], ['phone']] },
    analyses: {
      custom: {
        kind: 'sql',
        description: 'The insurer’s own SQL.',
        datasets: ['customers', 'devices'],
        runs: ['insurer'],
        receives: ['insurer'],
        params: { sql: { type: 'sql', description: 'One SELECT.', required: true } },
        rules: {
          columns: {
            'customers.phone': { join: true },
            'devices.phone': { join: true },
            'customers.premium': { aggregates: ['sum', 'avg'] },
            'devices.seats': { aggregates: ['sum'] },
          },
          mustJoinOwnData: true,
        },
      },
    },
    privacy: { minPeople: 10, rounding: null, reviewBy: [], dp: null },
    retentionDays: 30,
    terms: { version: '1', text: 'Use the results for the attack suite only.' },
  };
  let fixture: RoomFixture;
  let template: Template;

  beforeAll(async () => {
    const validated = validateTemplate(templateJson);
    if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
    template = validated.template;
    fixture = await roomFixture({ encryption: 'off' });
    const hash = (s: string) => createHash('sha256').update(s).digest('hex');
    const customers = ['email,phone,user_id,region,segment,signup_day,premium'];
    const devices = ['email,phone,device_id,product,seats'];
    for (let i = 0; i < 40; i++) {
      customers.push(`${hash(`c${i}`)},,U${i},${['north', 'south'][i % 2]},${['vip', 'std'][i % 3 === 0 ? 0 : 1]},2024-0${1 + (i % 9)}-15,${(i * 37) % 1000}.50`);
      if (i % 2 === 0) devices.push(`${hash(`c${i}`)},,D${i},${['av', 'vpn'][i % 4 === 0 ? 0 : 1]},${i % 7}`);
    }
    await fixture.room.loadCsv(await fixture.file('customers.csv', `${customers.join('\n')}\n`), loadPlanFor(template, 'customers'));
    await fixture.room.loadCsv(await fixture.file('devices.csv', `${devices.join('\n')}\n`), loadPlanFor(template, 'devices'));
  });
  afterAll(async () => fixture?.dispose());

  test('the template’s rules are the suite’s rules', () => {
    const built = aggregationRulesFor(template, 'custom', ['insurer']);
    for (const [dataset, rule] of Object.entries(rules.datasets)) {
      expect(built.datasets[dataset]!.owner).toBe(rule.owner);
      for (const [name, c] of Object.entries(rule.columns)) expect(built.datasets[dataset]!.columns[name], `${dataset}.${name}`).toEqual({ type: 'text', ...c });
      expect(Object.keys(built.datasets[dataset]!.columns).sort()).toEqual(Object.keys(rule.columns).sort());
    }
    expect(built).toMatchObject({ runner: 'insurer', mustJoinOwnData: true });
  });

  test('an allowed query runs in the room and is thresholded', async () => {
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom', { sql: `SELECT c.region, count(DISTINCT c.email) AS people ${JOIN} GROUP BY c.region` }, { runnerRoles: ['insurer'] });
    // Customers with an even number have a device: 20 matched, all in the north; the threshold counts the devices' people.
    expect(outcome.result.tables.custom!.rows).toEqual([{ region: 'north', people: 20 }]);
  });

  for (const [name, [sql, rule, refusedColumn]] of Object.entries(attacks)) {
    test(name, async () => {
      const { room, queries } = recording(fixture.room);
      const error = (await executeSqlAnalysis(room, template, 'custom', { sql }, { runnerRoles: ['insurer'] }).then(
        () => undefined,
        (e: unknown) => e,
      )) as CleanRoomError | undefined;
      expect(error, 'the run was not refused').toBeInstanceOf(CleanRoomError);
      expect(error!.code).toBe('refused');
      expect((error!.details.refusal as { rule: string }).rule, error!.message).toBe(rule);
      if (refusedColumn !== undefined) expect((error!.details.refusal as { column?: string }).column).toBe(refusedColumn);
      expect(queries, 'nothing may run').toEqual([]);
      for (const [, literal] of sql.matchAll(/'([^']{4,})'/g)) expect(error!.message + JSON.stringify(error!.details)).not.toContain(literal);
    });
  }

  test('text that does not parse is refused through the room, and nothing runs', async () => {
    const { room, queries } = recording(fixture.room);
    await expect(executeSqlAnalysis(room, template, 'custom', { sql: 'SELEC nothing' }, { runnerRoles: ['insurer'] })).rejects.toMatchObject({ code: 'refused' });
    expect(queries).toEqual([]);
  });
});
