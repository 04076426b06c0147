import type { AuditEntry, AuditEvent } from '../audit/index.js';
import type { RoomStore } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import { resolveIdentity } from '../match/resolve-identity.js';
import { jsonDigest, validateParams } from '../template/index.js';
import { hasAbility, own, rolesOf } from './access.js';
import type { Actor, Collaboration, Run } from './collaboration.js';
import type { CollaborationStore } from './collaboration-store.js';
import { executeAnalysis } from './execute-analysis.js';
import { matchTable } from './room-sql.js';

/** What a run needs from the room around it. */
export interface RunDeps {
  room: RoomStore;
  store: CollaborationStore;
  audit: (entry: AuditEntry) => Promise<AuditEvent>;
  now: () => string;
  newId: () => string;
  /** Records, under the collaboration's lock, which dataset versions a match table was built from. */
  recordMatch: (key: string, versions: string) => Promise<void>;
  /** Runs matching alone in its collaboration, so two runs never rebuild one match at once. */
  matching: <T>(work: () => Promise<T>) => Promise<T>;
  /** The stored match versions, re-read once the matching lock is held. */
  currentMatches: () => Promise<Record<string, string>>;
}

/**
 * Runs an allowed analysis for a party, in this order, each refusal audited:
 * the analysis exists; the party's role may run it; the party attested; the parameters
 * fit the template (problems returned as details, nothing run); every dataset it reads is
 * uploaded. Then the two datasets are matched (again, if a version changed), the analysis
 * runs in the sandbox and its tables pass the guard. A template with reviewers keeps the
 * result pending until one approves. The run and its result digest are audited; a
 * failure to write the audit entry fails the run.
 *
 * @example
 * ```ts
 * const run = await startRun(deps, collaboration, actor, 'attribution', { lookback_days: 14 });
 * run.status; // 'released'
 * ```
 */
export async function startRun(deps: RunDeps, collaboration: Collaboration, actor: Actor, analysisName: string, rawParams: unknown): Promise<Run> {
  const { template } = collaboration;
  const id = collaboration.id;
  const refuse = async (error: CleanRoomError, params: Record<string, never> = {}): Promise<never> => {
    await deps.audit({ actor, action: 'run', object: { type: 'analysis', id: analysisName }, params, decision: 'refused', reason: error.message });
    throw error;
  };
  const analysis = own(template.analyses, analysisName);
  if (analysis === undefined) {
    return refuse(new CleanRoomError('not_found', `Cannot run analysis '${analysisName}': collaboration ${id} allows ${Object.keys(template.analyses).join(', ')}`, { details: { field: 'analysis' } }));
  }
  const roles = rolesOf(collaboration, actor.party);
  if (!hasAbility(template, roles, 'runs') || !analysis.runs.some((role) => roles.includes(role))) {
    return refuse(new CleanRoomError('forbidden', `Cannot run analysis '${analysisName}': only ${analysis.runs.join(', ')} may run it`, { details: { field: 'analysis' } }));
  }
  if (!collaboration.attestations.some((a) => a.party === actor.party)) {
    return refuse(new CleanRoomError('conflict', `Cannot run analysis '${analysisName}': attest to the data-use terms of collaboration ${id} first`, { details: { field: 'attestation' } }));
  }
  const checked = validateParams(analysis, rawParams ?? {});
  if (!checked.ok) {
    const first = checked.problems[0];
    return refuse(new CleanRoomError('invalid_argument', `Cannot run analysis '${analysisName}': ${first?.message ?? 'invalid parameters'}`, { details: { problems: checked.problems } }));
  }
  const missing = analysis.datasets.filter((dataset) => collaboration.datasets[dataset] === undefined);
  if (missing.length > 0) {
    return refuse(new CleanRoomError('conflict', `Cannot run analysis '${analysisName}' yet: waiting for dataset ${missing.join(', ')}`, { details: { field: 'dataset' } }));
  }
  const params = checked.params;
  await ensureMatched(deps, collaboration, analysis.datasets[0]!, analysis.datasets[1]!);
  const runId = deps.newId();
  const outcome = await executeAnalysis(deps.room, template, analysisName, params, runId);
  const receivers =
    analysis.kind === 'activation'
      ? [collaboration.members[template.datasets[analysis.audience]!.owner]!]
      : [...new Set(analysis.receives.map((role) => collaboration.members[role]!))];
  const review = template.privacy.reviewBy.length > 0 && outcome.status === 'released';
  const run: Run = {
    id: runId,
    collaborationId: id,
    analysis: analysisName,
    kind: analysis.kind,
    params,
    by: actor.party,
    at: deps.now(),
    status: review ? 'pending' : outcome.status,
    reason: review ? `waiting for review by ${template.privacy.reviewBy.join(', ')}` : outcome.reason,
    receivers,
    result: outcome.result,
    audienceOwner: analysis.kind === 'activation' ? receivers[0]! : null,
  };
  await deps.store.putRun(run);
  await deps.audit({
    actor,
    action: 'run',
    object: { type: 'run', id: runId },
    params: { analysis: analysisName, ...JSON.parse(JSON.stringify(params)) },
    decision: run.status,
    ...(run.reason !== null ? { reason: run.reason } : {}),
    resultDigest: jsonDigest(run.result),
  });
  return receivers.includes(actor.party) && run.status !== 'pending' ? run : { ...run, result: null };
}

async function ensureMatched(deps: RunDeps, collaboration: Collaboration, a: string, b: string): Promise<void> {
  const key = matchTable(a, b);
  const versions = [a, b].sort().map((d) => `${d}@${collaboration.datasets[d]!.version}`).join(',');
  if (collaboration.matches[key] === versions) return;
  await deps.matching(async () => {
    if ((await deps.currentMatches())[key] === versions) return;
    await resolveIdentity(deps.room, collaboration.template, a, b);
    await deps.recordMatch(key, versions);
  });
  collaboration.matches[key] = versions;
}
