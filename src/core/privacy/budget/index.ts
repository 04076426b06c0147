/**
 * The public face of cleanroom's privacy budget: what one run of an analysis costs (fixed by
 * the template), how a run's cost splits among the tables it releases, the ledger charged
 * atomically before every release (per collaboration and per party, refreshed by period),
 * and the budget view a member reads. See docs/differential-privacy.md.
 *
 * @example
 * ```ts
 * import { PrivacyLedger, MemoryLedgerStore } from './core/privacy/budget/index.js';
 * const ledger = new PrivacyLedger({ store: new MemoryLedgerStore(), key: 'c_1', budget: { collaboration: { epsilon: 1 } }, clock: () => Date.now() });
 * await ledger.charge('p_brand', { epsilon: 0.5 }, { reference: 'run_1' }); // before releasing
 * ```
 */
export { addSpent, checkBudget, describeCost, describeRemaining, exactCost, zcdpToEpsilon, ZERO_SPENT } from './privacy-accounting.js';
export type { PrivacyBudget, PrivacyCost, Remaining, Spent } from './privacy-accounting.js';
export { MemoryLedgerStore } from './ledger-store.js';
export type { LedgerEntry, LedgerStore } from './ledger-store.js';
export { PrivacyLedger } from './privacy-ledger.js';
export type { BudgetStatus, PrivacyLedgerOptions } from './privacy-ledger.js';
export { analysisCost, ledgerBudgetOf } from './analysis-cost.js';
export { splitRunBudget } from './run-budgets.js';
export { NO_CHARGE, budgetView, chargedOf, ledgerOf, runPrivacy } from './budget-view.js';
export type { ContributionLimits, LedgerOwner, PrivacyAmounts, PrivacyBudgetView, RunPreview } from './budget-view.js';
export type { RunPrivacy } from './run-privacy.js';
