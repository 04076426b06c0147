import type { Resources } from '../api/resources.js';
import { ApiError } from '../api/api-error.js';
import type { Run } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';

/**
 * The runs of the collaboration the party may see, newest first, each opening its result:
 * from the server's list of runs, or else from the run ids of the audit log.
 *
 * @example
 * ```tsx
 * <RunsPanel room={room} collaborationId={c.id} started={runs} onOpen={open} />
 * ```
 */
export function RunsPanel({ room, collaborationId, started, onOpen }: { room: Resources; collaborationId: string; started: Run[]; onOpen: (run: Run) => void }) {
  const listed = useLoad(async () => {
    try {
      return await room.runs(collaborationId);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
    }
    // No list of runs on this server: every run is in the audit log, which members read;
    // the runs this party may not see answer 404 and are left out.
    const ids = new Set((await room.audit(collaborationId)).filter((e) => e.action === 'run' && e.object.type === 'run').map((e) => e.object.id));
    const runs = await Promise.all([...ids].map((runId) => room.run(collaborationId, runId).catch(() => undefined)));
    return runs.filter((run): run is Run => run !== undefined);
  }, [room, collaborationId, started.length]);
  const byId = new Map<string, Run>();
  for (const run of [...(listed.data ?? []), ...started]) byId.set(run.id, run);
  const runs = [...byId.values()].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section class="runs" id="runs">
      <h3>Runs</h3>
      {listed.error ? <ErrorBox error={listed.error} /> : null}
      {runs.length === 0 ? <p class="note">No run yet.</p> : null}
      <ul>
        {runs.map((run) => (
          <li key={run.id}>
            <a href={`#/c/${encodeURIComponent(collaborationId)}/runs/${encodeURIComponent(run.id)}`} onClick={() => onOpen(run)}>
              {run.analysis}
            </a>{' '}
            <span class={`status status-${run.status}`}>{run.status}</span>
            {run.cachedFrom !== undefined ? <span class="status"> cached</span> : null} {run.at} by {run.by}
          </li>
        ))}
      </ul>
    </section>
  );
}
