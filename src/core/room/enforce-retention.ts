import type { AuditEntry, AuditEvent } from '../audit/index.js';
import type { RoomStore } from '../engine-port.js';
import type { Collaboration, Run } from '../collaboration/collaboration.js';
import type { CollaborationStore } from '../collaboration/collaboration-store.js';
import { audienceTable } from '../room-schema/room-sql.js';
import { ident, keysTable } from '../room-schema/room-sql.js';

/** What retention needs from the room around it. */
export interface RetentionDeps {
  store: CollaborationStore;
  verified: (collaboration: Collaboration) => Collaboration;
  room: (id: string) => Promise<RoomStore>;
  mutate: (id: string, change: (collaboration: Collaboration) => void) => Promise<Collaboration>;
  audit: (id: string, entry: AuditEntry) => Promise<AuditEvent>;
  /** Forgets the double-blind uploads still waiting that were received before `cutoff`; their names. */
  expireBlind?: (id: string, cutoff: string) => Promise<string[]>;
}

/**
 * Deletes, in every collaboration, the dataset versions older than its template's
 * `retentionDays` (their rows are gone), the key and match tables built from them, and the
 * activation audiences of runs that old; a dataset left with no version must be uploaded
 * again before the runs that need it; and double-blind uploads still waiting for the other
 * party's blinding since before the cutoff, with their singles. Audited as `expire` by `system`.
 *
 * @example
 * ```ts
 * await enforceRetention(new Date(), deps); // 2: two versions deleted
 * ```
 */
export async function enforceRetention(now: Date, deps: RetentionDeps): Promise<number> {
  let deleted = 0;
  for (const stored of await deps.store.listCollaborations()) {
    const collaboration = deps.verified(stored);
    const cutoff = new Date(now.getTime() - collaboration.template.retentionDays * 86_400_000).toISOString();
    const room = await deps.room(collaboration.id);
    const expired = await room.expireVersions(cutoff);
    const oldRuns = (await deps.store.listRuns(collaboration.id)).filter((run) => run.at < cutoff && run.result?.audience !== undefined);
    const blindExpired = (await deps.expireBlind?.(collaboration.id, cutoff)) ?? [];
    if (blindExpired.length > 0) {
      await deps.audit(collaboration.id, {
        actor: { party: 'system', keyId: 'retention' },
        action: 'expire',
        object: { type: 'collaboration', id: collaboration.id },
        params: { retentionDays: collaboration.template.retentionDays, blindUploads: blindExpired },
        decision: 'accepted',
        reason: 'double-blind uploads that waited for the other party longer than the retention period',
      });
    }
    if (expired.length === 0 && oldRuns.length === 0) continue;
    deleted += expired.length;
    const left = new Set((await room.datasets()).map((v) => v.dataset));
    const touched = new Set(expired.map((v) => v.dataset));
    // A match is built from its two datasets and, when it bridged, the identity graph (named in its versions).
    const builtFrom = (table: string, dataset: string) => table.split('__').includes(dataset) || (collaboration.matches[table] ?? '').split(',').some((v) => v.startsWith(`${dataset}@`));
    const built = (table: string) => [...touched].some((dataset) => builtFrom(table, dataset));
    const derived = [...Object.keys(collaboration.matches).filter(built), ...[...touched].map(keysTable), ...oldRuns.map((run) => audienceTable(run.id))];
    if (derived.length > 0) await room.execute(derived.map((table) => ({ sql: `DROP TABLE IF EXISTS ${ident(table)}` })));
    for (const run of oldRuns) {
      const kept: Run = { ...run, result: { ...run.result!, audience: undefined } as Run['result'], reason: 'audience deleted after the retention period' };
      await deps.store.putRun(kept);
    }
    await deps.mutate(collaboration.id, (current) => {
      for (const dataset of touched) if (!left.has(dataset)) delete current.datasets[dataset];
      for (const table of Object.keys(current.matches)) {
        if (!built(table)) continue;
        delete current.matches[table];
        delete current.matchReports?.[table];
      }
    });
    await deps.audit(collaboration.id, {
      actor: { party: 'system', keyId: 'retention' },
      action: 'expire',
      object: { type: 'collaboration', id: collaboration.id },
      params: { retentionDays: collaboration.template.retentionDays, versions: expired.map((v) => `${v.dataset}@${v.version}`), audiences: oldRuns.length },
      decision: 'accepted',
    });
  }
  return deleted;
}
