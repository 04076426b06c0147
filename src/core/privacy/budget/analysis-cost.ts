import { canSelectPartitions } from '../../template/check-dp.js';
import type { DpPolicy, Template } from '../../template/index.js';
import type { PrivacyCost } from './privacy-accounting.js';
import type { PrivacyLedgerOptions } from './privacy-ledger.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * What one run of an analysis costs under the template's DP policy, fixed by the template
 * whatever the parameters (so a preview never depends on data): laplace `{ epsilon }`,
 * gaussian `{ rho }`; plus, when the analysis can group by private values, partition
 * selection's `{ epsilon, delta: selectionDelta }` (under laplace the one ε is split
 * between selection and values, see docs/differential-privacy.md). Null without DP.
 *
 * @example
 * ```ts
 * analysisCost(template, 'segment_size'); // { epsilon: 0.5, delta: 1e-7 }
 * ```
 */
export function analysisCost(template: Template, analysisName: string): PrivacyCost | null {
  const policy = template.privacy.dp;
  const analysis = template.analyses[analysisName];
  if (policy === null || analysis?.dp === undefined) return null;
  const { dp } = analysis;
  const selects = canSelectPartitions(template, analysis);
  if (policy.mechanism === 'laplace') {
    return selects ? { epsilon: dp.epsilon!, delta: policy.selectionDelta } : { epsilon: dp.epsilon! };
  }
  return selects ? { rho: dp.rho!, epsilon: dp.epsilon!, delta: policy.selectionDelta } : { rho: dp.rho! };
}

/**
 * The ledger's budgets and refresh period from a template's DP policy. Periods are counted
 * from `origin` (epoch ms): the collaboration's creation, so a 30-day budget lasts 30 days
 * from the day the parties started, not until the next multiple of 30 days since 1970.
 *
 * @example
 * ```ts
 * new PrivacyLedger({ store, key: collaboration.id, clock: () => Date.now(), ...ledgerBudgetOf(policy, Date.parse(collaboration.createdAt)) });
 * ```
 */
export function ledgerBudgetOf(policy: DpPolicy, origin = 0): Pick<PrivacyLedgerOptions, 'budget' | 'refresh'> {
  return {
    budget: { collaboration: policy.budget, ...(policy.perParty === null ? {} : { perParty: policy.perParty }) },
    ...(policy.refreshDays === null ? {} : { refresh: { periodMs: policy.refreshDays * DAY_MS, origin } }),
  };
}
