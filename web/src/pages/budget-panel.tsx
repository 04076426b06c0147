import type { BudgetView, PrivacyAmounts } from '../api/types.js';
import { formatDelta, formatEpsilon, formatInstant } from '../components/privacy-format.js';

/**
 * The collaboration's differential-privacy budget, shown only when the template turns DP
 * on: what the collaboration and the caller's party have used and have left, when the
 * budgets start afresh, and what each analysis costs a run.
 *
 * @example
 * ```tsx
 * <BudgetPanel budget={await room.budget(c.id)} />
 * ```
 */
export function BudgetPanel({ budget }: { budget: BudgetView }) {
  if (!budget.enabled || budget.budget === null) return null;
  const total = budget.budget;
  const partyTotal = budget.perParty ?? total;
  const analyses = Object.entries(budget.analyses);
  return (
    <section class="budget" id="budget" data-budget>
      <h3>Privacy budget</h3>
      <p class="note">
        Every result is noised ({budget.mechanism ?? 'laplace'} mechanism) and charged to these budgets before it is released; a run that would
        exceed either is refused. Re-running an identical analysis returns its earlier release at no cost.{' '}
        {budget.periodEndsAt !== null ? (
          <span data-refresh={budget.periodEndsAt}>
            Budgets start afresh on {formatInstant(budget.periodEndsAt)}
            {budget.refreshDays !== null ? ` (every ${budget.refreshDays} days)` : ''}.
          </span>
        ) : (
          <span data-refresh="never">The budgets never refresh.</span>
        )}
      </p>
      <div class="budget-bars">
        <BudgetBar of="collaboration" label="The collaboration (all parties)" total={total} left={budget.remaining?.collaboration ?? null} mechanism={budget.mechanism} />
        <BudgetBar of="party" label="Your party" total={partyTotal} left={budget.remaining?.party ?? null} mechanism={budget.mechanism} />
      </div>
      {analyses.length > 0 ? (
        <table class="budget-costs">
          <thead>
            <tr>
              <th>analysis</th>
              <th>cost of one run</th>
              <th>what one person can add (the noise is calibrated to it)</th>
            </tr>
          </thead>
          <tbody>
            {analyses.map(([name, a]) => (
              <tr key={name} data-cost-of={name}>
                <td>{name}</td>
                <td>{a.cost}</td>
                <td data-bounds-of={name}>
                  at most {a.bounds.maxGroupsPerPerson} {a.bounds.maxGroupsPerPerson === 1 ? 'row' : 'rows'} of the result, {a.bounds.maxRowsPerGroup} of their own rows in each
                  {Object.entries(a.bounds.personTotals).map(([column, [low, high]]) => `; ${column} total between ${low.toLocaleString('en-US')} and ${high.toLocaleString('en-US')}`).join('')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** One budget: ε used of the total as a bar, and what is left of ε and δ (and ρ under Gaussian). */
function BudgetBar({ of, label, total, left, mechanism }: { of: string; label: string; total: { epsilon: number; delta: number }; left: PrivacyAmounts | null; mechanism: BudgetView['mechanism'] }) {
  if (left === null) return null;
  const used = Math.max(0, total.epsilon - left.epsilon);
  return (
    <div class="card budget-bar" data-budget-of={of} data-epsilon-left={left.epsilon} data-delta-left={left.delta}>
      <div class="label">{label}</div>
      <progress max={total.epsilon} value={used} aria-label={`${label}: ε used`} />
      <div>
        <span class="value">ε {formatEpsilon(left.epsilon)}</span> left of {formatEpsilon(total.epsilon)} (used {formatEpsilon(used)})
      </div>
      <div class="note">
        δ {formatDelta(left.delta)} left of {formatDelta(total.delta)}
        {mechanism === 'gaussian' ? ` · one more Gaussian run may spend up to ρ=${formatEpsilon(left.rho)}` : ''}
      </div>
    </div>
  );
}
