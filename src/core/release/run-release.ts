import type { AuditEntry, AuditEvent } from '../audit/index.js';
import type { RoomStore } from '../engine-port.js';
import { CleanRoomError } from '../errors.js';
import { csvField } from '../prepare/csv-field.js';
import { spreadsheetSafe } from './spreadsheet-safe.js';
import { jsonDigest } from '../template/index.js';
import { rolesOf } from '../collaboration/access.js';
import type { Actor, Collaboration, Run } from '../collaboration/collaboration.js';
import type { CollaborationStore } from '../collaboration/collaboration-store.js';
import { readAudience } from './read-audience.js';

/** What review and audience export need from the room around them. */
export interface ReleaseDeps {
  store: CollaborationStore;
  /** The collaboration, for members only (not_found otherwise). */
  load: (actor: Actor, id: string) => Promise<Collaboration>;
  room: (id: string) => Promise<RoomStore>;
  audit: (id: string, entry: AuditEntry) => Promise<AuditEvent>;
  now: () => string;
}

/**
 * A reviewer (a role in `privacy.reviewBy`) approves or rejects a pending run; only an
 * approved run's result reaches its receivers. Both outcomes, and refusals, are audited.
 *
 * @example
 * ```ts
 * const released = await reviewRun(deps, bank, 'c_1', 'run_7', 'approved');
 * ```
 */
export async function reviewRun(deps: ReleaseDeps, actor: Actor, id: string, runId: string, decision: 'approved' | 'rejected'): Promise<Run> {
  const collaboration = await deps.load(actor, id);
  const roles = rolesOf(collaboration, actor.party);
  const object = { type: 'run', id: runId };
  const run = await deps.store.getRun(id, runId);
  if (run === undefined) throw new CleanRoomError('not_found', `Cannot find run ${runId} in collaboration ${id}`, { details: { field: 'run' } });
  if (!collaboration.template.privacy.reviewBy.some((role) => roles.includes(role))) {
    await deps.audit(id, { actor, action: 'review', object, params: { decision }, decision: 'refused', reason: 'not a reviewer' });
    throw new CleanRoomError('forbidden', `Cannot review run ${runId}: only ${collaboration.template.privacy.reviewBy.join(', ')} review results`, { details: { field: 'run' } });
  }
  if (run.status !== 'pending') throw new CleanRoomError('conflict', `Cannot review run ${runId}: it is ${run.status}, not pending`, { details: { field: 'run' } });
  const reviewed: Run = {
    ...run,
    status: decision === 'approved' ? 'released' : 'rejected',
    reason: decision === 'approved' ? null : 'rejected by the data owner',
    result: decision === 'approved' ? run.result : null,
    review: { by: actor.party, decision, at: deps.now() },
  };
  await deps.store.putRun(reviewed);
  await deps.audit(id, { actor, action: 'review', object, params: { decision }, decision: decision === 'approved' ? 'approved' : 'rejected', resultDigest: jsonDigest(reviewed.result) });
  return reviewed;
}

/**
 * The activation audience of a released run as CSV (`person_key`), for the one party that
 * owns those keys; anyone else gets the not_found of a missing audience. Cells are
 * spreadsheet-safe. Audited with the digest of the bytes.
 *
 * @example
 * ```ts
 * const csv = await audienceCsv(deps, rideshare, 'c_1', 'run_9'); // 'person_key\nC100123\n…'
 * ```
 */
export async function audienceCsv(deps: ReleaseDeps, actor: Actor, id: string, runId: string): Promise<string> {
  await deps.load(actor, id);
  const object = { type: 'run', id: runId };
  const run = await deps.store.getRun(id, runId);
  if (run === undefined || run.audienceOwner !== actor.party || run.status !== 'released' || run.result?.audience === undefined) {
    await deps.audit(id, { actor, action: 'export_audience', object, params: {}, decision: 'refused', reason: 'not the audience owner, or no released audience' });
    throw new CleanRoomError('not_found', `Cannot find an audience for run ${runId} in collaboration ${id}`, { details: { field: 'run' } });
  }
  const keys = await readAudience(await deps.room(id), run.id);
  const csv = `person_key\n${keys.map((k) => `${csvField(spreadsheetSafe(k))}\n`).join('')}`;
  await deps.audit(id, { actor, action: 'export_audience', object, params: { people: keys.length }, decision: 'released', resultDigest: jsonDigest(csv) });
  return csv;
}
