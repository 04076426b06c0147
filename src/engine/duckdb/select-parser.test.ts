import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SelectParser } from './select-parser.js';

// The statement check must let through every shape of SQL core compiles analyses to, and
// refuse by construct name. Attacks through a real room are in sandbox-attacks.test.ts.

let parser: SelectParser;
const tables = new Set(['exposures', 'transactions', 'people__v1']);

beforeAll(async () => {
  parser = await SelectParser.open();
});

afterAll(() => {
  parser.close();
});

describe('compiled analysis shapes pass', () => {
  const allowed: Record<string, string> = {
    'an aggregate with parameters': 'SELECT campaign, count(DISTINCT email) AS n FROM exposures WHERE day >= ? GROUP BY campaign HAVING count(DISTINCT email) >= $2',
    'a join with a lookback window': `SELECT e.campaign, sum(t.revenue) AS revenue FROM exposures e JOIN transactions t
      ON e.email = t.email AND t.day BETWEEN e.day AND e.day + INTERVAL 7 DAY GROUP BY ALL`,
    'CTEs, including recursive': 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3), m AS (SELECT * FROM exposures) SELECT count(*) FROM r, m',
    'window functions and QUALIFY': 'SELECT email, row_number() OVER (PARTITION BY email ORDER BY day) AS k FROM exposures QUALIFY k = 1',
    'UNION ALL and set operations': 'SELECT email FROM exposures UNION ALL SELECT email FROM transactions EXCEPT SELECT email FROM people__v1',
    'VALUES, range, generate_series and unnest': 'SELECT * FROM (VALUES (1), (2)) v(x), range(3), generate_series(1, 2), unnest([1, 2])',
    'a room table qualified by its database and schema': 'SELECT count(*) FROM room.main.exposures',
    'FROM-first syntax': 'FROM exposures SELECT count(*)',
    'a trailing semicolon': 'SELECT 1;',
    'quoted names and string literals': `SELECT "campaign", 'it''s' AS s FROM "exposures"`,
    'statistics for lift': 'SELECT stddev_samp(revenue), avg(revenue), sqrt(var_pop(revenue)), approx_count_distinct(email) FROM transactions',
  };
  for (const [name, sql] of Object.entries(allowed)) {
    test(name, async () => {
      await expect(parser.check(sql, tables)).resolves.toBeUndefined();
    });
  }
});

describe('refusals name the construct', () => {
  const refused: Record<string, [string, string]> = {
    'an unknown table': ['SELECT * FROM payroll', 'table payroll is not a table of this room'],
    'a file table function': ["SELECT * FROM read_csv('x.csv')", 'table function read_csv is not allowed'],
    'read_duckdb': ["SELECT * FROM read_duckdb('/x.duckdb')", 'table function read_duckdb is not allowed'],
    'a denied scalar in WHERE': ["SELECT 1 FROM exposures WHERE current_setting('threads') = '1'", 'function current_setting is not allowed'],
    'a denied function in ORDER BY of a window': ["SELECT row_number() OVER (ORDER BY getenv('x')) FROM exposures", 'function getenv is not allowed'],
    'not SQL at all': ['hello there', 'it does not parse'],
    'an empty string': ['', 'it does not parse'],
    'a NUL byte': ['SELECT 1\u0000; DROP TABLE x', 'it contains a control character'],
    'time travel': ['SELECT * FROM exposures AT (VERSION => 1)', 'time travel on exposures is not allowed'],
  };
  for (const [name, [sql, reason]] of Object.entries(refused)) {
    test(name, async () => {
      await expect(parser.check(sql, tables)).rejects.toMatchObject({ code: 'refused', details: { reason } });
    });
  }
});
