import type { RoomStore, SqlStatement } from '../engine-port.js';
import type { Template } from '../template/index.js';
import { datasetSpec, ident, keyExpression, keysTable, matchColumn, matchLevelNames, matchTable, personExpression } from '../room-schema/room-sql.js';
import { bridgeTables, graphCandidates, graphReportStatement } from './graph-bridge.js';
import type { BridgeNames, GraphReport } from './graph-bridge.js';

/** How two datasets matched, the same numbers whichever side asks. */
export interface MatchReport {
  datasets: [string, string];
  /** Distinct people in each dataset (people with at least one match-key value). */
  people: Record<string, number>;
  matched: number;
  /** Per match key, in priority order, then `graph` when bridged: the pairs it matched (a pair counts once, under its best key). */
  byKey: { key: string; matched: number }[];
  /** matched / people, per dataset. */
  rate: Record<string, number>;
  /** When the identity graph bridged: the pairs only it matched, and what it could not use. */
  graph?: GraphReport & { bridged: number };
}

/** Options of {@link resolveIdentity}. */
export interface ResolveOptions {
  /** Bridge through the template's identity graph (its dataset is loaded); default false. */
  bridge?: boolean;
  /** false: the match is not made durable here; the caller calls `room.persist()` before it records it. Default true. */
  durable?: boolean;
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
export async function resolveIdentity(room: RoomStore, template: Template, a: string, b: string, options: ResolveOptions = {}): Promise<MatchReport> {
  const graph = options.bridge === true ? template.identity.graph : undefined;
  // The levels: each direct key in priority order, then the graph (after every direct key).
  const keys = [...template.identity.matchKeys, ...(graph === undefined ? [] : [[]])];
  const names = matchNames(a, b);
  const bridge = { ...names, cand: ident(`${names.cand}_${keys.length - 1}`) };
  // The graph's working tables are TEMP tables of one batch's writer: a batch that needs them builds them first.
  const bridgeWork = (): SqlStatement[] => (graph === undefined ? [] : bridgeTables(bridge, graph, buildKeys(template, graph.dataset, { into: names.kg, temp: true })));
  const candidatesAt = (k: number): SqlStatement[] => (graph !== undefined && k === keys.length - 1 ? [...bridgeWork(), graphCandidates(bridge)] : [candidates(names, k)]);
  // Most data has few ties: every key's candidates and a few rounds go in one transaction
  // (each call to the engine costs a commit). Only if a key still has candidates left do
  // the keys from there on run again, round by round, so the result is always the rule's.
  // Every step but the last is not durable: a crash mid-match loses only the match, which is
  // rebuilt (nothing records it before it ends), and a sealed room seals once per match;
  // with `durable: false` not even then (the caller persists the room before recording it).
  const step = { durable: false };
  await room.execute([
    buildKeys(template, a),
    buildKeys(template, b),
    { sql: `CREATE OR REPLACE TABLE ${names.table} (${names.ca} VARCHAR NOT NULL, ${names.cb} VARCHAR NOT NULL, k INTEGER NOT NULL)` },
    ...keys.flatMap((_, k) => [...candidatesAt(k), ...Array.from({ length: FIRST_ROUNDS }, () => round(names, k)).flat()]),
    // Counted while the graph level's working tables still exist, in this batch.
    ...(graph === undefined ? [] : [graphReportStatement(bridge, graph, names.report)]),
  ], step);
  const left = await room.query(keys.map((_, k) => `SELECT ${k} AS k, count(*) AS n FROM ${ident(`${names.cand}_${k}`)}`).join(' UNION ALL '));
  const unfinished = left.rows.filter((r) => Number(r.n) > 0).map((r) => Number(r.k));
  if (unfinished.length > 0) {
    const from = Math.min(...unfinished);
    await room.execute([{ sql: `DELETE FROM ${names.table} WHERE k > ?`, params: [from] }], step);
    for (let k = from; k < keys.length; k++) {
      if (k > from) await room.execute(candidatesAt(k), step);
      for (let r = 0; r < MAX_ROUNDS_PER_KEY; r++) {
        const remaining = await room.query(`SELECT count(*) AS n FROM ${ident(`${names.cand}_${k}`)}`);
        if (Number(remaining.rows[0]?.n ?? 0) === 0) break;
        await room.execute(round(names, k), step);
      }
    }
  }
  let graphCounts: Map<string, number> | undefined;
  if (graph !== undefined) graphCounts = new Map((await room.query(`SELECT what, n FROM ${names.report}`)).rows.map((r) => [String(r.what), Number(r.n)]));
  // The working tables go: only the match table (and each side's keys) outlive the match.
  const working = [...keys.map((_, k) => ident(`${names.cand}_${k}`)), names.report];
  await room.execute(working.map((table) => ({ sql: `DROP TABLE IF EXISTS ${table}` })), { durable: options.durable !== false });
  return matchReport(room, template, a, b, graphCounts);
}

/** Rounds run up front for every key; data with ties needs more, and gets them after. */
const FIRST_ROUNDS = 2;

/** The room tables of one match (quoted, but `cand`: the prefix of each level's candidate table). */
interface MatchNames extends BridgeNames {
  report: string;
}

function matchNames(a: string, b: string): MatchNames {
  return {
    table: ident(matchTable(a, b)),
    ca: ident(matchColumn(a)),
    cb: ident(matchColumn(b)),
    ka: ident(keysTable(a)),
    kb: ident(keysTable(b)),
    cand: `${matchTable(a, b)}__candidates`,
    kg: ident(`${matchTable(a, b)}__bridge_keys`),
    bg: ident(`${matchTable(a, b)}__bridge_graph`),
    ba: ident(`${matchTable(a, b)}__bridge_${matchColumn(a)}`),
    bb: ident(`${matchTable(a, b)}__bridge_${matchColumn(b)}`),
    report: ident(`${matchTable(a, b)}__graph_report`),
  };
}

/** Key k's candidate pairs among people still unmatched (anti-joins: hash joins in DuckDB). */
function candidates(n: MatchNames, k: number): SqlStatement {
  return {
    sql: `CREATE OR REPLACE TABLE ${ident(`${n.cand}_${k}`)} AS
SELECT DISTINCT x.person AS pa, y.person AS pb
FROM ${n.ka} x JOIN ${n.kb} y ON x.v = y.v
WHERE x.k = ? AND y.k = ?
  AND NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.ca} = x.person)
  AND NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.cb} = y.person)`,
    params: [k, k],
  };
}

/** One round at key k: accept mutual-smallest pairs, then drop candidates whose people are taken. */
function round(n: MatchNames, k: number): SqlStatement[] {
  const cand = ident(`${n.cand}_${k}`);
  return [
    {
      sql: `INSERT INTO ${n.table}
SELECT pa, pb, ? FROM (
  SELECT pa, pb, min(pb) OVER (PARTITION BY pa) AS best_b, min(pa) OVER (PARTITION BY pb) AS best_a FROM ${cand}
) WHERE pa = best_a AND pb = best_b`,
      params: [k],
    },
    // Two hash-join deletes: one `pa IN (...) OR pb IN (...)` would not be planned as joins.
    { sql: `DELETE FROM ${cand} USING ${n.table} t WHERE t.k = ? AND ${cand}.pa = t.${n.ca}`, params: [k] },
    { sql: `DELETE FROM ${cand} USING ${n.table} t WHERE t.k = ? AND ${cand}.pb = t.${n.cb}`, params: [k] },
  ];
}

/** The match report of an existing match table; `graphCounts` the bridge's counts when it bridged (see graph-bridge.ts). */
async function matchReport(room: RoomStore, template: Template, a: string, b: string, graphCounts?: Map<string, number>): Promise<MatchReport> {
  const table = ident(matchTable(a, b));
  const result = await room.query(
    `SELECT 'key' AS what, k, count(*) AS n FROM ${table} GROUP BY k
UNION ALL SELECT 'a', NULL, count(DISTINCT person) FROM ${ident(keysTable(a))}
UNION ALL SELECT 'b', NULL, count(DISTINCT person) FROM ${ident(keysTable(b))}`,
  );
  const counts = new Map(result.rows.filter((r) => r.what === 'key').map((r) => [Number(r.k), Number(r.n)]));
  const people: Record<string, number> = {
    [a]: Number(result.rows.find((r) => r.what === 'a')?.n ?? 0),
    [b]: Number(result.rows.find((r) => r.what === 'b')?.n ?? 0),
  };
  const levels = matchLevelNames(template).slice(0, template.identity.matchKeys.length + (graphCounts === undefined ? 0 : 1));
  const byKey = levels.map((key, k) => ({ key, matched: counts.get(k) ?? 0 }));
  const matched = byKey.reduce((sum, key) => sum + key.matched, 0);
  const rate: Record<string, number> = {};
  for (const dataset of [a, b]) rate[dataset] = people[dataset] === 0 ? 0 : matched / people[dataset]!;
  const report: MatchReport = { datasets: [a, b], people, matched, byKey, rate };
  if (graphCounts !== undefined) {
    const n = (what: string): number => graphCounts.get(what) ?? 0;
    report.graph = { bridged: byKey.at(-1)!.matched, people: n('people'), superNodes: n('super'), ambiguous: { [a]: n('a'), [b]: n('b') } };
  }
  return report;
}

/** `keys__<dataset>` (or `into`, a TEMP table of the batch's writer when `temp`): each person's value of each match key. */
function buildKeys(template: Template, dataset: string, options: { into?: string; temp?: boolean } = {}): SqlStatement {
  const spec = datasetSpec(template, dataset);
  const person = personExpression(template, dataset);
  const parts = template.identity.matchKeys.flatMap((kinds, k) => {
    const value = keyExpression(spec, kinds);
    return value === undefined ? [] : [`SELECT ${person} AS person, ${k} AS k, ${value} AS v FROM ${ident(dataset)} WHERE ${value} IS NOT NULL AND ${person} IS NOT NULL`];
  });
  const body = parts.length > 0 ? parts.join('\nUNION ALL\n') : `SELECT NULL::VARCHAR AS person, 0 AS k, NULL::VARCHAR AS v WHERE false`;
  return { sql: `CREATE OR REPLACE ${options.temp === true ? 'TEMP ' : ''}TABLE ${options.into ?? ident(keysTable(dataset))} AS SELECT DISTINCT person::VARCHAR AS person, k::INTEGER AS k, v::VARCHAR AS v FROM (${body})` };
}
