import type { SqlStatement } from '../engine-port.js';
import type { IdentityGraphSpec } from '../template/index.js';

/** The tables one bridged level reads and writes (quoted identifiers). */
export interface BridgeNames {
  /** The match table; its person columns for each side. */
  table: string;
  ca: string;
  cb: string;
  /** Each side's keys table (`person`, `k`, `v`). */
  ka: string;
  kb: string;
  /** The level's candidate table. */
  cand: string;
  /** The working tables of the bridge: the graph's key values, its usable ones, and each side's graph people. */
  kg: string;
  bg: string;
  ba: string;
  bb: string;
}

/**
 * The working tables of the graph level, TEMP tables of the writer that builds the match (never
 * written to the room's file, gone when its connection closes; a later batch that needs them
 * builds them again first):
 *
 * - the graph's key values (`graphKeys`, built into `n.kg` as each side's keys are);
 * - the graph's key values of the people that may bridge: at most `maxIdentifiersPerPerson`
 *   distinct match-key values each (a "super node" above the cap — a shared office phone, a
 *   test email — bridges no one);
 * - per side, each person, the smallest graph person its keys lead to and how many they lead
 *   to. A person led to two or more is ambiguous: it is not bridged at all (and counted in the
 *   report), so a graph can never make a many-to-many match or a guess.
 *
 * @example
 * ```ts
 * await room.execute(bridgeTables(names, { dataset: 'identity_graph', maxIdentifiersPerPerson: 25 }, graphKeysStatement));
 * ```
 */
export function bridgeTables(n: BridgeNames, graph: IdentityGraphSpec, graphKeys: SqlStatement): SqlStatement[] {
  const g = n.kg;
  const side = (target: string, keys: string): SqlStatement => ({
    sql: `CREATE OR REPLACE TEMP TABLE ${target} AS SELECT x.person AS p, min(g.person) AS gp, count(DISTINCT g.person) AS n FROM ${keys} x JOIN ${n.bg} g ON x.k = g.k AND x.v = g.v GROUP BY x.person`,
  });
  return [
    graphKeys,
    { sql: `CREATE OR REPLACE TEMP TABLE ${n.bg} AS SELECT person, k, v FROM (SELECT person, k, v, count(*) OVER (PARTITION BY person) AS key_values FROM ${g}) WHERE key_values <= ?`, params: [graph.maxIdentifiersPerPerson] },
    side(n.ba, n.ka),
    side(n.bb, n.kb),
  ];
}

/**
 * The candidates of the graph level, after every direct key: pairs of still-unmatched people
 * led to the same one graph person (each side through any match key: a retailer's email and a
 * publisher's phone number of one partner person). The rounds that follow are the direct keys'
 * own (mutual smallest first), so the result stays one-to-one, independent of upload order and
 * of who asks.
 *
 * @example
 * ```ts
 * await room.execute([graphCandidates(names)]);
 * ```
 */
export function graphCandidates(n: BridgeNames): SqlStatement {
  return {
    sql: `CREATE OR REPLACE TABLE ${n.cand} AS
SELECT DISTINCT ga.p AS pa, gb.p AS pb
FROM ${n.ba} ga JOIN ${n.bb} gb ON ga.gp = gb.gp
WHERE ga.n = 1 AND gb.n = 1
  AND NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.ca} = ga.p)
  AND NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.cb} = gb.p)`,
  };
}

/** What the graph did, beside the counts per key: the same numbers whichever side asks. */
export interface GraphReport {
  /** Distinct people in the graph; those over the identifier cap (super nodes), who bridge no one. */
  people: number;
  superNodes: number;
  /** Per dataset: people whose keys lead to two or more graph people, so were not bridged. */
  ambiguous: Record<string, number>;
}

/**
 * Writes {@link GraphReport}'s counts, from the bridge's working tables in the same batch,
 * into `report` (a table of the room): rows `(what, n)` with `what` in `people`, `super`,
 * `a`, `b`.
 *
 * @example
 * ```ts
 * await room.execute([...bridgeTables(names, graph), graphReportStatement(names, graph, '"match__a__b__graph"')]);
 * ```
 */
export function graphReportStatement(n: BridgeNames, graph: IdentityGraphSpec, report: string): SqlStatement {
  const g = n.kg;
  return {
    sql: `CREATE OR REPLACE TABLE ${report} AS SELECT 'people' AS what, count(DISTINCT person) AS n FROM ${g}
UNION ALL SELECT 'super', count(*) FROM (SELECT person FROM ${g} GROUP BY person HAVING count(*) > ?)
UNION ALL SELECT 'a', count(*) FROM ${n.ba} WHERE n > 1
UNION ALL SELECT 'b', count(*) FROM ${n.bb} WHERE n > 1`,
    params: [graph.maxIdentifiersPerPerson],
  };
}
