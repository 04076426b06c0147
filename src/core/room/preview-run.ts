import { checkSqlAnalysis } from '../analyses/sql/execute-sql-analysis.js';
import type { RoomStore } from '../engine-port.js';
import type { LedgerStore } from '../privacy/budget/ledger-store.js';
import { describeCost, exactCost } from '../privacy/budget/privacy-accounting.js';
import { checkRun } from './check-run.js';
import type { Actor, Collaboration } from '../collaboration/collaboration.js';
import { NO_CHARGE, chargedOf, ledgerOf } from '../privacy/budget/budget-view.js';
import type { RunPreview } from '../privacy/budget/budget-view.js';
import type { ReleaseCache } from '../release/release-cache.js';

/** What a preview reads: the ledgers, the clock and the earlier releases. */
export interface PreviewDeps {
  /** The collaboration's room: a sql analysis's query is parsed and checked (never run) there. */
  room: () => Promise<RoomStore>;
  ledgerStore: LedgerStore;
  clockMs: () => number;
  releases: ReleaseCache;
}

/**
 * What running an analysis now would do, with the same checks as a run (check-run.ts, and
 * for sql analyses the parse and rule checks; a failed check throws the run's error) but
 * nothing run and nothing charged: whether an
 * earlier identical release would be reused, what a run costs, whether the budgets allow
 * it and what would remain. Not audited: the audit vocabulary has no preview action, and a
 * preview tells the caller nothing the template, the budget view and the audit log do not.
 *
 * @example
 * ```ts
 * const p = await previewRun(deps, collaboration, actor, 'spend_by_segment', {});
 * p.allowed; // false once the party's budget cannot pay for one more run
 * ```
 */
export async function previewRun(deps: PreviewDeps, collaboration: Collaboration, actor: Actor, analysisName: string, rawParams: unknown): Promise<RunPreview> {
  const checked = checkRun(collaboration, actor, analysisName, rawParams);
  if (!checked.ok) throw checked.error;
  const { key, cost, analysis, params, roles } = checked.run;
  // A query the rules refuse is refused here with the run's reason, not previewed as allowed.
  if (analysis.kind === 'sql') await checkSqlAnalysis(await deps.room(), collaboration.template, analysisName, params, { runnerRoles: roles });
  const earlier = key === null ? undefined : await deps.releases.find(collaboration.id, key);
  const cached = { cached: earlier !== undefined, cachedFrom: earlier?.id ?? null };
  const ledger = cost === null ? null : ledgerOf(collaboration, deps.ledgerStore, deps.clockMs);
  if (ledger === null || cost === null) {
    return { analysis: analysisName, dp: false, ...cached, cost: null, charged: { ...NO_CHARGE }, allowed: true, reason: null, remaining: null, periodEndsAt: null };
  }
  const text = describeCost(exactCost(cost));
  if (earlier !== undefined) {
    const left = await ledger.remaining(actor.party);
    return { analysis: analysisName, dp: true, ...cached, cost: text, charged: { ...NO_CHARGE }, allowed: true, reason: null, remaining: { collaboration: left.collaboration, party: left.party }, periodEndsAt: left.periodEndsAt };
  }
  const status = await ledger.preview(actor.party, cost);
  return {
    analysis: analysisName,
    dp: true,
    ...cached,
    cost: text,
    charged: status.allowed ? chargedOf(cost) : { ...NO_CHARGE },
    allowed: status.allowed,
    reason: status.reason,
    remaining: status.remaining,
    periodEndsAt: status.periodEndsAt,
  };
}
