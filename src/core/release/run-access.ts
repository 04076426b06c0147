import { rolesOf } from '../collaboration/access.js';
import type { Collaboration, Run } from '../collaboration/collaboration.js';

/** What a party may see of a run: whether the run exists for it at all, and whether its result. */
export interface RunAccess {
  /** The runner, a receiver, or a reviewer of a pending run: it may know the run and its status. */
  visible: boolean;
  /** A receiver of a run not pending review, or a reviewer of a pending one: it may read the result. */
  result: boolean;
}

/**
 * Who receives a run's result: for activation the one party that owns the audience's rows,
 * else the members of the analysis's receiving roles.
 *
 * @example
 * ```ts
 * receiversOf(collaboration, collaboration.template.analyses.attribution!); // ['p_retailer']
 * ```
 */
export function receiversOf(collaboration: Collaboration, analysis: Collaboration['template']['analyses'][string]): string[] {
  return analysis.kind === 'activation'
    ? [collaboration.members[collaboration.template.datasets[analysis.audience]!.owner]!]
    : [...new Set(analysis.receives.map((role) => collaboration.members[role]!))];
}

/**
 * The one rule of who may read a run, used by every path that shows one (the run's own
 * answer, a run by id, the list of runs): others' runs do not exist for a party, and a result
 * reaches only its receivers once released, or a reviewer while it waits for review.
 *
 * @example
 * ```ts
 * runAccess(collaboration, 'p_publisher', run); // { visible: true, result: false } for the runner who does not receive
 * ```
 */
export function runAccess(collaboration: Collaboration, party: string, run: Run): RunAccess {
  const roles = rolesOf(collaboration, party);
  const reviewing = run.status === 'pending' && collaboration.template.privacy.reviewBy.some((role) => roles.includes(role));
  const receives = run.receivers.includes(party);
  return {
    visible: run.by === party || receives || reviewing,
    result: (receives && run.status !== 'pending') || reviewing,
  };
}

/**
 * The run as the party may see it: whole, or without its result.
 *
 * @example
 * ```ts
 * const shown = asSeenBy(collaboration, actor.party, run); // run.result is null unless runAccess says so
 * ```
 */
export function asSeenBy(collaboration: Collaboration, party: string, run: Run): Run {
  return runAccess(collaboration, party, run).result ? run : { ...run, result: null };
}
