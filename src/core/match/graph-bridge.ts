import type { SqlStatement } from '../engine-port.js';
import { ident, keysTable } from '../room-schema/room-sql.js';
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
}

/**
 * The graph's people that may bridge: at most `maxIdentifiersPerPerson` distinct match-key
 * values each (a "super node" above the cap — a shared office phone, a test email —
 * bridges no one).
 */
function bridgingPeople(graph: IdentityGraphSpec): { sql: string; params: number[] } {
  const g = ident(keysTable(graph.dataset));
  return { sql: `SELECT person, k, v FROM ${g} WHERE person IN (SELECT person FROM ${g} GROUP BY person HAVING count(*) <= ?)`, params: [graph.maxIdentifiersPerPerson] };
}

/**
 * Each side's person and the one graph person its keys lead to. A person whose keys lead to
 * two or more graph people is ambiguous: it is not bridged at all (and counted in the report),
 * so a graph can never make a many-to-many match.
 */
function sidePeople(keys: string, bridging: string): string {
  return `SELECT x.person AS p, min(g.person) AS gp FROM ${keys} x JOIN (${bridging}) g ON x.k = g.k AND x.v = g.v GROUP BY x.person HAVING count(DISTINCT g.person) = 1`;
}

/**
 * The candidates of the graph level, after every direct key: pairs of still-unmatched people
 * whose keys lead to the same graph person (each side's keys through any match key: a
 * retailer's email and a publisher's phone number of one partner person). The rounds that
 * follow are the direct keys' own (mutual smallest first), so the result stays one-to-one,
 * independent of upload order and of who asks.
 *
 * @example
 * ```ts
 * await room.execute([graphCandidates(names, { dataset: 'graph', maxIdentifiersPerPerson: 25 })]);
 * ```
 */
export function graphCandidates(n: BridgeNames, graph: IdentityGraphSpec): SqlStatement {
  const bridging = bridgingPeople(graph);
  return {
    sql: `CREATE OR REPLACE TABLE ${n.cand} AS
WITH ga AS (${sidePeople(n.ka, bridging.sql)}), gb AS (${sidePeople(n.kb, bridging.sql)})
SELECT DISTINCT ga.p AS pa, gb.p AS pb
FROM ga JOIN gb ON ga.gp = gb.gp
WHERE NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.ca} = ga.p)
  AND NOT EXISTS (SELECT 1 FROM ${n.table} t WHERE t.${n.cb} = gb.p)`,
    params: [...bridging.params, ...bridging.params],
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
 * The SQL of {@link GraphReport}'s counts: rows `(what, n)` with `what` in `people`,
 * `super`, `a`, `b`.
 *
 * @example
 * ```ts
 * const { sql, params } = graphReportSql(names, graph);
 * ```
 */
export function graphReportSql(n: Pick<BridgeNames, 'ka' | 'kb'>, graph: IdentityGraphSpec): { sql: string; params: number[] } {
  const g = ident(keysTable(graph.dataset));
  const bridging = bridgingPeople(graph);
  const ambiguous = (keys: string): string => `SELECT count(*) FROM (SELECT x.person FROM ${keys} x JOIN (${bridging.sql}) g ON x.k = g.k AND x.v = g.v GROUP BY x.person HAVING count(DISTINCT g.person) > 1)`;
  return {
    sql: `SELECT 'people' AS what, count(DISTINCT person) AS n FROM ${g}
UNION ALL SELECT 'super', count(*) FROM (SELECT person FROM ${g} GROUP BY person HAVING count(*) > ?)
UNION ALL SELECT 'a', (${ambiguous(n.ka)})
UNION ALL SELECT 'b', (${ambiguous(n.kb)})`,
    params: [graph.maxIdentifiersPerPerson, ...bridging.params, ...bridging.params],
  };
}
