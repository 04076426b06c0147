import type { Collaboration, Run } from '../collaboration/collaboration.js';
import { matchTable } from '../room-schema/room-sql.js';

/** A count shown behind the minimum-people rule: `null` when fewer than `minPeople`. */
export type GuardedCount = number | null;

/** What the identity partner of a collaboration learns of its graph's use: usage counts. */
export interface GraphUsage {
  dataset: string;
  version: number | null;
  /** Released runs, since the graph's current version, of analyses whose match bridged through it, in all and per analysis. */
  runs: number;
  byAnalysis: Record<string, number>;
  lastRunAt: string | null;
  /** People of the graph, and those over the template's identifier cap (super nodes, who bridge no one): the partner's own data. */
  people: number | null;
  superNodes: number | null;
}

/** What a contributing member learns of how the graph treated its own records. */
export interface BridgedMatchView {
  datasets: [string, string];
  /** The caller's dataset of the two. */
  yours: string;
  /** The caller's people whose keys lead to two or more graph people, so were not bridged (a documented rule). */
  ambiguous: GuardedCount;
}

/** GET …/identity: per role, what the template's identity layer tells the caller. */
export interface IdentityView {
  minPeople: number;
  graph: GraphUsage | null;
  bridged: BridgedMatchView[];
}

/**
 * What the identity layer tells one member, outside the analyses: the identity partner gets
 * usage counts of its graph (how many released runs used it, per analysis, and its own
 * people and super-node counts); a member whose dataset was matched through the graph gets
 * how many of its own people the graph could not bridge because they led to two or more
 * graph people, behind the minimum-people rule. Match counts themselves are never here:
 * members learn them only through the guarded analyses the template allows.
 *
 * @example
 * ```ts
 * identityView(collaboration, 'p_partner', runs).graph?.runs; // 12
 * ```
 */
export function identityView(collaboration: Collaboration, party: string, runs: readonly Run[]): IdentityView {
  const { template, members } = collaboration;
  const minPeople = template.privacy.minPeople;
  const guard = (n: number): GuardedCount => (n >= minPeople ? n : null);
  const graphDataset = template.identity.graph?.dataset;
  const reports = Object.entries(collaboration.matchReports ?? {}).filter(([table, r]) => r.graph !== undefined && collaboration.matches[table] !== undefined);
  let graph: GraphUsage | null = null;
  if (graphDataset !== undefined && members[template.datasets[graphDataset]!.owner] === party) {
    const bridgedTables = new Set(reports.map(([table]) => table));
    const since = collaboration.datasets[graphDataset]?.at ?? '9999';
    const used = runs.filter((run) => {
      if (run.at < since) return false;
      const datasets = template.analyses[run.analysis]?.datasets ?? [];
      return run.status === 'released' && datasets.length === 2 && bridgedTables.has(matchTable(datasets[0]!, datasets[1]!));
    });
    const byAnalysis: Record<string, number> = {};
    for (const run of used) byAnalysis[run.analysis] = (byAnalysis[run.analysis] ?? 0) + 1;
    const latest = reports.at(-1)?.[1].graph;
    graph = {
      dataset: graphDataset,
      version: collaboration.datasets[graphDataset]?.version ?? null,
      runs: used.length,
      byAnalysis,
      lastRunAt: used.map((r) => r.at).sort().at(-1) ?? null,
      people: latest?.people ?? null,
      superNodes: latest?.superNodes ?? null,
    };
  }
  const bridged: BridgedMatchView[] = [];
  for (const [, report] of reports) {
    const yours = report.datasets.find((d) => members[template.datasets[d]?.owner ?? ''] === party);
    if (yours === undefined) continue;
    bridged.push({ datasets: report.datasets, yours, ambiguous: guard(report.graph!.ambiguous[yours] ?? 0) });
  }
  return { minPeople, graph, bridged };
}
