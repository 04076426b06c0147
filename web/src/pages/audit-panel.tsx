import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { ChainVerification } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';

/**
 * The collaboration's audit log, newest first, and a button that has the server recompute
 * the hash chain.
 *
 * @example
 * ```tsx
 * <AuditPanel room={room} collaborationId={c.id} />
 * ```
 */
export function AuditPanel({ room, collaborationId }: { room: Resources; collaborationId: string }) {
  const events = useLoad(() => room.audit(collaborationId), [room, collaborationId]);
  const [verdict, setVerdict] = useState<ChainVerification>();
  const [error, setError] = useState<Error>();
  const verify = async (): Promise<void> => {
    setError(undefined);
    try {
      setVerdict(await room.verifyAudit(collaborationId));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section class="audit" id="audit">
      <h3>Audit log</h3>
      <p>
        <button type="button" onClick={verify}>
          Verify the chain
        </button>{' '}
        <button type="button" onClick={events.reload}>
          Refresh
        </button>
      </p>
      {verdict ? (
        <p class={verdict.ok ? 'ok verify' : 'error verify'}>
          {verdict.ok ? `Chain intact: ${verdict.count} events verified.` : `Chain broken at event ${verdict.firstBroken}: ${verdict.reason}`}
        </p>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
      {events.error ? <ErrorBox error={events.error} /> : null}
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>when</th>
            <th>who</th>
            <th>action</th>
            <th>object</th>
            <th>decision</th>
            <th>reason</th>
            <th>hash</th>
          </tr>
        </thead>
        <tbody>
          {[...(events.data ?? [])].reverse().map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{e.at}</td>
              <td>{e.actor.party}</td>
              <td>{e.action}</td>
              <td>
                {e.object.type} {e.object.id}
              </td>
              <td>{e.decision ?? ''}</td>
              <td>{e.reason ?? ''}</td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
