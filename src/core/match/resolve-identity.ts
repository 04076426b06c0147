import type { RoomStore, SqlStatement } from '../engine-port.js';
import type { Template } from '../template/index.js';
import { datasetSpec, ident, keyExpression, keysTable, matchColumn, matchTable, personExpression } from '../room/room-sql.js';

/** How two datasets matched, the same numbers whichever side asks. */
export interface MatchReport {
  datasets: [string, string];
  /** Distinct people in each dataset (people with at least one match-key value). */
  people: Record<string, number>;
  matched: number;
  /** Per match key, in priority order: the pairs it matched (a pair counts once, under its best key). */
  byKey: { key: string; matched: number }[];
  /** matched / people, per dataset. */
  rate: Record<string, number>;
}

/** More rounds than this at one key level means pathological ties; the rest wait for the next key. */
const MAX_ROUNDS_PER_KEY = 16;

/**
 * Deterministic one-to-one identity resolution between two datasets, over the template's
 * match keys in priority order. The rule (docs/matching.md):
 *
 * 1. Each person of each side is matched to at most one person of the other side.
 * 2. Keys are tried in priority order; a pair matched by a better key is never undone.
 * 3. Within one key, candidate pairs (people sharing that key's value, both still
 *    unmatched) are accepted greedily in ascending order of (person a, person b): in each
 *    round every pair whose people are each other's smallest candidate is accepted, and
 *    rounds repeat until none is left. This equals the greedy rule and needs no ordering
 *    of rows, so the result does not depend on upload order or on which side asks.
 *
 * Builds `keys__<dataset>` for both sides and `match__<a>__<b>`, in the room.
 *
 * @example
 * ```ts
 * const report = await resolveIdentity(room, template, 'exposures', 'transactions');
 * report.rate.exposures; // 0.42
 * ```
 */
export async function resolveIdentity(room: RoomStore, template: Template, a: string, b: string): Promise<MatchReport> {
  const keys = template.identity.matchKeys;
  const table = ident(matchTable(a, b));
  const ca = ident(matchColumn(a));
  const cb = ident(matchColumn(b));
  await room.execute([
    buildKeys(template, a),
    buildKeys(template, b),
    { sql: `CREATE OR REPLACE TABLE ${table} (${ca} VARCHAR NOT NULL, ${cb} VARCHAR NOT NULL, k INTEGER NOT NULL)` },
  ]);
  const ka = ident(keysTable(a));
  const kb = ident(keysTable(b));
  const cand = ident(`${matchTable(a, b)}__candidates`);
  for (let k = 0; k < keys.length; k++) {
    // This key's candidate pairs among people still unmatched (anti-joins, so DuckDB
    // plans hash joins), then rounds of mutual-smallest pairs until none is left.
    const statements: SqlStatement[] = [
      {
        sql: `CREATE OR REPLACE TABLE ${cand} AS
SELECT DISTINCT x.person AS pa, y.person AS pb
FROM ${ka} x JOIN ${kb} y ON x.v = y.v
WHERE x.k = ? AND y.k = ?
  AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${ca} = x.person)
  AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${cb} = y.person)`,
        params: [k, k],
      },
    ];
    for (let round = 0; round < MAX_ROUNDS_PER_KEY; round++) {
      await room.execute([
        ...statements,
        {
          sql: `INSERT INTO ${table}
SELECT pa, pb, ? FROM (
  SELECT pa, pb, min(pb) OVER (PARTITION BY pa) AS best_b, min(pa) OVER (PARTITION BY pb) AS best_a FROM ${cand}
) WHERE pa = best_a AND pb = best_b`,
          params: [k],
        },
        {
          sql: `DELETE FROM ${cand} WHERE pa IN (SELECT ${ca} FROM ${table} WHERE k = ?) OR pb IN (SELECT ${cb} FROM ${table} WHERE k = ?)`,
          params: [k, k],
        },
      ]);
      statements.length = 0;
      const left = await room.query(`SELECT count(*) AS n FROM ${cand}`);
      if (Number(left.rows[0]?.n ?? 0) === 0) break;
    }
  }
  await room.execute([{ sql: `DROP TABLE IF EXISTS ${cand}` }]);
  return matchReport(room, template, a, b);
}

/** The match report of an existing match table. */
export async function matchReport(room: RoomStore, template: Template, a: string, b: string): Promise<MatchReport> {
  const table = ident(matchTable(a, b));
  const byKeyRows = await room.query(`SELECT k, count(*) AS n FROM ${table} GROUP BY k`);
  const counts = new Map(byKeyRows.rows.map((r) => [Number(r.k), Number(r.n)]));
  const people: Record<string, number> = {};
  for (const dataset of [a, b]) {
    const result = await room.query(`SELECT count(DISTINCT person) AS n FROM ${ident(keysTable(dataset))}`);
    people[dataset] = Number(result.rows[0]?.n ?? 0);
  }
  const byKey = template.identity.matchKeys.map((kinds, k) => ({ key: kinds.join('+'), matched: counts.get(k) ?? 0 }));
  const matched = byKey.reduce((sum, key) => sum + key.matched, 0);
  const rate: Record<string, number> = {};
  for (const dataset of [a, b]) rate[dataset] = people[dataset] === 0 ? 0 : matched / people[dataset]!;
  return { datasets: [a, b], people, matched, byKey, rate };
}

function buildKeys(template: Template, dataset: string): SqlStatement {
  const spec = datasetSpec(template, dataset);
  const person = personExpression(template, dataset);
  const parts = template.identity.matchKeys.flatMap((kinds, k) => {
    const value = keyExpression(spec, kinds);
    return value === undefined ? [] : [`SELECT ${person} AS person, ${k} AS k, ${value} AS v FROM ${ident(dataset)} WHERE ${value} IS NOT NULL AND ${person} IS NOT NULL`];
  });
  const body = parts.length > 0 ? parts.join('\nUNION ALL\n') : `SELECT NULL::VARCHAR AS person, 0 AS k, NULL::VARCHAR AS v WHERE false`;
  return { sql: `CREATE OR REPLACE TABLE ${ident(keysTable(dataset))} AS SELECT DISTINCT person::VARCHAR AS person, k::INTEGER AS k, v::VARCHAR AS v FROM (${body})` };
}
