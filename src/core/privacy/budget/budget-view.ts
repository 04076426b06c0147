import type { LedgerStore } from './ledger-store.js';
import { analysisCost, ledgerBudgetOf } from './analysis-cost.js';
import { describeCost, exactCost } from './privacy-accounting.js';
import type { PrivacyCost, Remaining } from './privacy-accounting.js';
import { PrivacyLedger } from './privacy-ledger.js';
import type { BudgetStatus } from './privacy-ledger.js';
import { toNumber } from '../dp/rational.js';
import { CleanRoomError } from '../../errors.js';
import type { DpBudget, DpMechanism } from '../../template/index.js';
import type { Template } from '../../template/index.js';
import type { RunPrivacy } from './run-privacy.js';

/** What a ledger is keyed and counted by: a collaboration's id, template and creation time. */
export interface LedgerOwner {
  id: string;
  template: Template;
  createdAt: string;
}

/** ε, δ and ρ as plain numbers. */
export interface PrivacyAmounts {
  epsilon: number;
  delta: number;
  rho: number;
}

/**
 * What a run would do, without running it (`CleanRoom.previewRun`): whether it would reuse
 * an earlier identical release (`cached`, at no cost), what it would cost and charge, whether
 * the budgets allow it and, under DP, what would remain after it (or remains now, when it
 * is cached or refused). Without DP: `dp` false, cost and remaining null, always allowed.
 *
 * @example
 * ```ts
 * const p: RunPreview = await room.previewRun(brand, 'c_1', 'spend_by_segment', {});
 * if (!p.allowed) console.log(p.reason); // 'Cannot run this analysis as party p_brand: it costs ε=0.5, and ε=0.2 remains …'
 * ```
 */
export interface RunPreview {
  analysis: string;
  dp: boolean;
  cached: boolean;
  cachedFrom: string | null;
  /** A fresh run's cost in words (`ε=0.5, δ=1e-7`); null without DP. */
  cost: string | null;
  /** What this run would charge: 0 when cached or without DP. */
  charged: PrivacyAmounts;
  allowed: boolean;
  reason: string | null;
  remaining: { collaboration: PrivacyAmounts; party: PrivacyAmounts } | null;
  periodEndsAt: number | null;
}

/**
 * A collaboration's differential-privacy budget as one member sees it
 * (`CleanRoom.privacyBudget`): the policy, what remains this period for the collaboration
 * and for the calling party, when the period ends, and what one run of each analysis costs.
 *
 * @example
 * ```ts
 * const b: PrivacyBudgetView = await room.privacyBudget(brand, 'c_1');
 * b.remaining?.party.epsilon; // e.g. 5.5
 * b.analyses.spend_by_segment?.cost; // 'ε=0.5, δ=1e-7'
 * ```
 */
export interface PrivacyBudgetView {
  enabled: boolean;
  mechanism: DpMechanism | null;
  budget: DpBudget | null;
  perParty: DpBudget | null;
  refreshDays: number | null;
  remaining: { collaboration: PrivacyAmounts; party: PrivacyAmounts } | null;
  periodEndsAt: number | null;
  analyses: Record<string, { cost: string; charged: PrivacyAmounts; bounds: ContributionLimits }>;
}

/**
 * How much of one person a run of an analysis can use, which is what its noise is calibrated
 * to: at most `maxGroupsPerPerson` result rows, `maxRowsPerGroup` of their rows in each, and
 * their total of a summed column in a row clamped to `personTotals` where the template caps it.
 *
 * @example
 * ```ts
 * const limits: ContributionLimits = { maxGroupsPerPerson: 3, maxRowsPerGroup: 10, personTotals: { 'purchases.amount': [0, 1500] } };
 * ```
 */
export interface ContributionLimits {
  maxGroupsPerPerson: number;
  maxRowsPerGroup: number;
  personTotals: Record<string, [number, number]>;
}

/** Nothing charged. */
export const NO_CHARGE: Readonly<PrivacyAmounts> = Object.freeze({ epsilon: 0, delta: 0, rho: 0 });

/**
 * The ledger of a collaboration with DP (its key is the collaboration id), or null without.
 *
 * @example
 * ```ts
 * const ledger = ledgerOf(collaboration, store, () => Date.now());
 * await ledger?.charge(actor.party, cost, { reference: runId });
 * ```
 */
export function ledgerOf(collaboration: LedgerOwner, store: LedgerStore, clock: () => number): PrivacyLedger | null {
  const policy = collaboration.template.privacy.dp;
  if (policy === null) return null;
  const origin = Date.parse(collaboration.createdAt);
  if (!Number.isFinite(origin)) {
    throw new CleanRoomError('internal', `Collaboration ${collaboration.id} has no valid createdAt (${collaboration.createdAt}); its privacy budget periods cannot be counted`);
  }
  return new PrivacyLedger({ store, key: collaboration.id, clock, zcdp: policy.mechanism === 'gaussian', ...ledgerBudgetOf(policy, origin) });
}

/**
 * A cost as the numbers a run reports as charged.
 *
 * @example
 * ```ts
 * chargedOf({ epsilon: 0.5, delta: 1e-7 }); // { epsilon: 0.5, delta: 1e-7, rho: 0 }
 * ```
 */
export function chargedOf(cost: PrivacyCost): PrivacyAmounts {
  const exact = exactCost(cost);
  return { epsilon: toNumber(exact.epsilon), delta: toNumber(exact.delta), rho: toNumber(exact.rho) };
}

/**
 * The `RunPrivacy` of a release: its cost, what it charged (nothing when it reused an
 * earlier release) and what the ledger said remains.
 *
 * @example
 * ```ts
 * runPrivacy('laplace', cost, await ledger.charge(party, cost), { cached: false });
 * ```
 */
export function runPrivacy(mechanism: DpMechanism, cost: PrivacyCost, status: Pick<BudgetStatus, 'remaining' | 'periodEndsAt'>, options: { cached: boolean }): RunPrivacy {
  return {
    mechanism,
    cost: describeCost(exactCost(cost)),
    charged: options.cached ? { ...NO_CHARGE } : chargedOf(cost),
    remaining: { collaboration: amounts(status.remaining.collaboration), party: amounts(status.remaining.party) },
    periodEndsAt: status.periodEndsAt,
  };
}

/**
 * The budget view of a collaboration for a party (see {@link PrivacyBudgetView}).
 *
 * @example
 * ```ts
 * await budgetView(collaboration, store, 'p_brand', () => Date.now());
 * ```
 */
export async function budgetView(collaboration: LedgerOwner, store: LedgerStore, party: string, clock: () => number): Promise<PrivacyBudgetView> {
  const { template } = collaboration;
  const policy = template.privacy.dp;
  const ledger = ledgerOf(collaboration, store, clock);
  if (policy === null || ledger === null) {
    return { enabled: false, mechanism: null, budget: null, perParty: null, refreshDays: null, remaining: null, periodEndsAt: null, analyses: {} };
  }
  const analyses: PrivacyBudgetView['analyses'] = {};
  for (const name of Object.keys(template.analyses)) {
    const cost = analysisCost(template, name);
    const dp = template.analyses[name]!.dp;
    if (cost === null || dp === undefined) continue;
    const personTotals = Object.fromEntries(Object.entries(dp.personTotals ?? {}).map(([column, [low, high]]) => [column, [low, high] as [number, number]]));
    analyses[name] = {
      cost: describeCost(exactCost(cost)),
      charged: chargedOf(cost),
      bounds: { maxGroupsPerPerson: dp.maxGroupsPerPerson, maxRowsPerGroup: dp.maxRowsPerGroup, personTotals },
    };
  }
  const left = await ledger.remaining(party);
  return {
    enabled: true,
    mechanism: policy.mechanism,
    budget: { ...policy.budget },
    perParty: policy.perParty === null ? null : { ...policy.perParty },
    refreshDays: policy.refreshDays,
    remaining: { collaboration: amounts(left.collaboration), party: amounts(left.party) },
    periodEndsAt: left.periodEndsAt,
    analyses,
  };
}

function amounts(remaining: Remaining): PrivacyAmounts {
  return { epsilon: remaining.epsilon, delta: remaining.delta, rho: remaining.rho };
}
