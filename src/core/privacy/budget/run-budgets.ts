import { CleanRoomError } from '../../errors.js';
import { analysisCost } from './analysis-cost.js';
import { div, rational, toRational, type Rational } from '../dp/rational.js';
import type { NoisyTableSpec } from '../dp/release-table.js';
import type { Template } from '../../template/index.js';

/**
 * Splits what one run of an analysis costs ({@link analysisCost}, fixed by the template) among
 * the tables it releases; `selects[i]` says whether table i passes partition selection in this
 * run. Exact rationals; the parts add up to the cost, never more:
 *
 * - laplace, ε: when some table selects, ε/2 goes to selection (split equally among the
 *   selecting tables) and ε/2 to values (split equally among all tables); otherwise all of ε
 *   goes to values. The charge is ε either way;
 * - gaussian: ρ to values (split equally among all tables); the analysis's ε to selection
 *   (split among the selecting tables);
 * - the selection δ (the policy's `selectionDelta`, part of the cost only when the analysis
 *   can group by private values) is split among the selecting tables.
 *
 * @example
 * ```ts
 * splitRunBudget(template, 'spend_by_segment', [true]); // [{ epsilon: 1/4, selectionEpsilon: 1/4, selectionDelta: 1e-7 }]
 * ```
 */
export function splitRunBudget(template: Template, analysisName: string, selects: readonly boolean[]): NoisyTableSpec['budget'][] {
  const cost = analysisCost(template, analysisName);
  const mechanism = template.privacy.dp?.mechanism;
  if (cost === null || mechanism === undefined) {
    throw new CleanRoomError('internal', `Cannot noise analysis '${analysisName}': the template gives it no DP cost`);
  }
  const selecting = selects.filter(Boolean).length;
  if (selecting > 0 && (cost.delta === undefined || cost.epsilon === undefined)) {
    throw new CleanRoomError('refused', `Cannot run '${analysisName}' with these groups: they would need DP partition selection, which its cost (${describe(cost)}) does not cover; group by fewer public dimensions`);
  }
  const part = (total: Rational, n: number): Rational => div(total, rational(BigInt(n)));
  const half = (x: Rational): Rational => div(x, rational(2n));
  let values: { epsilon: Rational } | { rho: Rational };
  let selection: { epsilon: Rational; delta: Rational } | null = null;
  if (mechanism === 'laplace') {
    const epsilon = toRational(cost.epsilon!);
    values = { epsilon: part(selecting > 0 ? half(epsilon) : epsilon, selects.length) };
    if (selecting > 0) selection = { epsilon: part(half(epsilon), selecting), delta: part(toRational(cost.delta!), selecting) };
  } else {
    values = { rho: part(toRational(cost.rho!), selects.length) };
    if (selecting > 0) selection = { epsilon: part(toRational(cost.epsilon!), selecting), delta: part(toRational(cost.delta!), selecting) };
  }
  return selects.map((s) => (s && selection !== null ? { ...values, selectionEpsilon: selection.epsilon, selectionDelta: selection.delta } : { ...values }));
}

function describe(cost: { epsilon?: unknown; delta?: unknown; rho?: unknown }): string {
  return Object.entries(cost)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
