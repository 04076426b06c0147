import type { Cell } from '../engine-port.js';
import { coversMinimum } from './guard-policy.js';
import type { GuardPolicy } from './guard-policy.js';
import type { GuardedTable } from './guard-result.js';

/** The part of a lift group the release rule reads: its group values and each arm's converters. */
export interface LiftGroupCounts {
  group: Record<string, Cell>;
  exposed: { converters: number };
  holdout: { converters: number };
}

/**
 * fbpcs's release rule for lift, on top of the per-arm minimum the table guard applied: a
 * group is released only when its exposed and holdout converters together reach the
 * minimum. Returns the released groups, the arm rows of those groups only, without the
 * `hidden` columns (per-person sums of squares feed the intervals, they are never released),
 * and the reason when no group is left although arms were.
 *
 * @example
 * ```ts
 * const { groups, table, reason } = guardLift(arms, liftGroups(arms.rows, dims), { dimensions: dims, hidden: ['revenue_squares'] }, policy);
 * ```
 */
export function guardLift<G extends LiftGroupCounts>(
  arms: GuardedTable,
  groups: readonly G[],
  options: { dimensions: readonly string[]; hidden: readonly string[]; policy: GuardPolicy },
): { groups: G[]; table: GuardedTable; reason: string | null } {
  const { dimensions, hidden, policy } = options;
  const released = groups.filter((g) => coversMinimum(g.exposed.converters + g.holdout.converters, policy));
  const inReleased = (row: Record<string, Cell>): boolean => released.some((g) => dimensions.every((d) => g.group[d] === row[d]));
  const table: GuardedTable = {
    ...arms,
    columns: arms.columns.filter((c) => !hidden.includes(c)),
    rows: arms.rows.filter(inReleased).map((row) => Object.fromEntries(Object.entries(row).filter(([c]) => !hidden.includes(c)))),
  };
  const reason = released.length === 0 && arms.rows.length > 0 ? `exposed and holdout converters together are fewer than ${policy.minPeople}` : null;
  return { groups: released, table, reason };
}
