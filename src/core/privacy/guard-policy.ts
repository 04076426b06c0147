import type { Template } from '../template/index.js';

/**
 * The release thresholds of a template (its `privacy` section): the minimum of distinct
 * people behind every released row, and the width of the ranges counts are rounded to.
 * Every threshold of the room — tables, custom SQL, lift, activation — reads it here.
 *
 * @example
 * ```ts
 * const policy: GuardPolicy = { minPeople: 100, rounding: { to: 10 } };
 * ```
 */
export interface GuardPolicy {
  minPeople: number;
  rounding: { to: number } | null;
  /** The noisy threshold of the template, when it has one (applied by the difference check's guard). */
  noisyThreshold?: { scale: number };
}

/**
 * The guard policy of a template.
 *
 * @example
 * ```ts
 * guardPolicyOf(template); // { minPeople: 50, rounding: null }
 * ```
 */
export function guardPolicyOf(template: Template): GuardPolicy {
  const { minPeople, rounding, noisyThreshold } = template.privacy;
  return { minPeople, rounding, ...(noisyThreshold !== undefined ? { noisyThreshold } : {}) };
}

/**
 * The minimum-crowd rule, the one place it is written: whether `people` distinct people are
 * enough to release what they stand behind. Not a number (a NULL count) is not enough.
 *
 * @example
 * ```ts
 * coversMinimum(99, { minPeople: 100, rounding: null }); // false
 * ```
 */
export function coversMinimum(people: number, policy: GuardPolicy): boolean {
  return Number.isFinite(people) && people >= policy.minPeople;
}

/**
 * A count as released: rounded down to a multiple of `rounding.to` when the template asks
 * for ranges ([value, value + to − 1]), else as it is.
 *
 * @example
 * ```ts
 * roundCount(1234, { minPeople: 100, rounding: { to: 100 } }); // 1200
 * ```
 */
export function roundCount(value: number, policy: GuardPolicy): number {
  return policy.rounding === null ? value : Math.floor(value / policy.rounding.to) * policy.rounding.to;
}
