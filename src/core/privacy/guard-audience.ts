import { coversMinimum, roundCount } from './guard-policy.js';
import type { GuardPolicy } from './guard-policy.js';

/** What the guard lets out of an activation audience: its rounded size, or why nothing. */
export type GuardedAudience = { released: true; people: number } | { released: false; reason: string };

/**
 * The release rule of an activation audience: the matched list reaches its owner only when it
 * covers at least `minPeople` people, and the size reported with it is rounded like any count.
 *
 * @example
 * ```ts
 * guardAudience(1234, { minPeople: 100, rounding: { to: 100 } }); // { released: true, people: 1200 }
 * guardAudience(12, { minPeople: 100, rounding: null }); // { released: false, reason: 'the audience covers fewer than 100 people' }
 * ```
 */
export function guardAudience(people: number, policy: GuardPolicy): GuardedAudience {
  if (!coversMinimum(people, policy)) return { released: false, reason: `the audience covers fewer than ${policy.minPeople} people` };
  return { released: true, people: roundCount(people, policy) };
}
