import { CleanRoomError } from '../errors.js';
import { analysisCost } from '../privacy/budget/analysis-cost.js';
import type { PrivacyCost } from '../privacy/budget/privacy-accounting.js';
import { validateParams } from '../template/index.js';
import type { AnalysisParams, AnalysisSpec } from '../template/index.js';
import { hasAbility, own, rolesOf } from '../collaboration/access.js';
import type { Actor, Collaboration } from '../collaboration/collaboration.js';
import { releaseKey } from '../release/release-key.js';

/** A run that passed every check: what it runs, with which parameters, its release key and cost. */
export interface CheckedRun {
  analysis: AnalysisSpec;
  params: AnalysisParams;
  /** The running party's roles in the collaboration. */
  roles: string[];
  /** Identical runs share this key (see release-key.ts); null for activation, which never shares. */
  key: string | null;
  /** Under differential privacy, what one run costs; null without. */
  cost: PrivacyCost | null;
}

/**
 * The checks a run passes before anything runs, in order: the analysis exists; the party's
 * role may run it; the party attested; the parameters fit the template (problems as
 * details); every dataset it reads is uploaded. Returns the first failure as a
 * CleanRoomError value (the caller audits and throws it, or only throws it for a preview).
 *
 * @example
 * ```ts
 * const checked = checkRun(collaboration, actor, 'attribution', { lookback_days: 14 });
 * if (!checked.ok) throw checked.error;
 * ```
 */
export function checkRun(collaboration: Collaboration, actor: Actor, analysisName: string, rawParams: unknown): { ok: true; run: CheckedRun } | { ok: false; error: CleanRoomError } {
  const { template, id } = collaboration;
  const fail = (error: CleanRoomError) => ({ ok: false as const, error });
  const analysis = own(template.analyses, analysisName);
  if (analysis === undefined) {
    return fail(new CleanRoomError('not_found', `Cannot run analysis '${analysisName}': collaboration ${id} allows ${Object.keys(template.analyses).join(', ')}`, { details: { field: 'analysis' } }));
  }
  const roles = rolesOf(collaboration, actor.party);
  if (!hasAbility(template, roles, 'runs') || !analysis.runs.some((role) => roles.includes(role))) {
    return fail(new CleanRoomError('forbidden', `Cannot run analysis '${analysisName}': only ${analysis.runs.join(', ')} may run it`, { details: { field: 'analysis' } }));
  }
  if (!collaboration.attestations.some((a) => a.party === actor.party)) {
    return fail(new CleanRoomError('conflict', `Cannot run analysis '${analysisName}': attest to the data-use terms of collaboration ${id} first`, { details: { field: 'attestation' } }));
  }
  const checked = validateParams(analysis, rawParams ?? {});
  if (!checked.ok) {
    const first = checked.problems[0];
    return fail(new CleanRoomError('invalid_argument', `Cannot run analysis '${analysisName}': ${first?.message ?? 'invalid parameters'}`, { details: { problems: checked.problems } }));
  }
  const missing = analysis.datasets.filter((dataset) => collaboration.datasets[dataset] === undefined);
  if (missing.length > 0) {
    return fail(new CleanRoomError('conflict', `Cannot run analysis '${analysisName}' yet: waiting for dataset ${missing.join(', ')}`, { details: { field: 'dataset' } }));
  }
  const params = checked.params;
  const key = analysis.kind === 'activation' ? null : releaseKey(collaboration, analysisName, params, { runnerRoles: roles });
  return { ok: true, run: { analysis, params, roles, key, cost: analysisCost(template, analysisName) } };
}
