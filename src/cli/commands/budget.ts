import type { Command } from 'commander';
import { describeRemaining } from '../../core/privacy/budget/privacy-accounting.js';
import type { PrivacyBudgetView } from '../../core/privacy/budget/budget-view.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

/**
 * `cleanroom budget <collaboration>`: the differential-privacy budget — the policy, what
 * remains for the collaboration and for your party this period, and what one run of each
 * analysis costs (a table, or the API's JSON with `--json`).
 *
 * @example
 * ```ts
 * registerBudget(program, io); // cleanroom budget c_123
 * ```
 */
export function registerBudget(program: Command, io: CliIo): void {
  withClientOptions(program.command('budget <collaboration>').description("A collaboration's privacy budget: what remains and what each analysis costs")).action(async (id: string, flags: ClientFlags) => {
    const budget = await clientFrom(flags, io).json<PrivacyBudgetView>('GET', `/v1/collaborations/${encodeURIComponent(id)}/budget`);
    emit(io, flags, budget, () => describeBudget(id, budget));
  });
}

/** What one person can add to a run, in words: `≤ 3 rows of the result, ≤ 10 of their rows in each; purchases.amount total in [0, 1500]`. */
function describeBounds(bounds: PrivacyBudgetView['analyses'][string]['bounds']): string {
  const caps = Object.entries(bounds.personTotals).map(([column, [low, high]]) => `; ${column} total in [${low}, ${high}]`);
  return `≤ ${bounds.maxGroupsPerPerson} rows of the result, ≤ ${bounds.maxRowsPerGroup} of their rows in each${caps.join('')}`;
}

function describeBudget(id: string, b: PrivacyBudgetView): string {
  if (!b.enabled) return `collaboration ${id}: no differential privacy (results are thresholded, nothing is charged)`;
  const total = (x: { epsilon: number; delta: number } | null) => (x === null ? 'the collaboration total' : `ε=${x.epsilon}, δ=${x.delta}`);
  const lines = [
    `collaboration ${id}: differential privacy, ${b.mechanism} mechanism`,
    `budget: ${total(b.budget)} for the collaboration, ${total(b.perParty)} per party${b.refreshDays === null ? ', never refreshed' : `, refreshed every ${b.refreshDays} days`}`,
  ];
  if (b.remaining !== null) {
    const zcdp = { zcdp: b.mechanism === 'gaussian' };
    lines.push(`remaining${b.periodEndsAt === null ? '' : ` until ${new Date(b.periodEndsAt).toISOString()}`}: ${describeRemaining(b.remaining.party, zcdp)} for your party, ${describeRemaining(b.remaining.collaboration, zcdp)} for the collaboration`);
  }
  lines.push('', table(Object.entries(b.analyses).map(([analysis, a]) => ({ analysis, cost: a.cost, 'per person': describeBounds(a.bounds) })), ['analysis', 'cost', 'per person']));
  return lines.join('\n');
}
