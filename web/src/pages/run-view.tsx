import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { Collaboration, Run } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { downloadText } from '../components/download.js';
import { usePartyNames } from '../components/use-party-names.js';
import { RunResultView } from '../results/run-result.js';

/**
 * One run: its result, the audience download for its owner, and the review buttons for a
 * reviewer while it is pending.
 *
 * @example
 * ```tsx
 * <RunView room={room} collaboration={c} run={run} roles={roles} onChange={setRun} />
 * ```
 */
export function RunView({ room, collaboration, run, roles, onChange }: { room: Resources; collaboration: Collaboration; run: Run; roles: string[]; onChange: (run: Run) => void }) {
  const [error, setError] = useState<Error>();
  const name = usePartyNames(room);
  const reviewer = collaboration.template.privacy.reviewBy.some((role) => roles.includes(role));
  const owner = roles.some((role) => collaboration.members[role] === run.audienceOwner);
  const act = async (work: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section class="run" data-run={run.id}>
      <h3>Run {run.id}</h3>
      <RunResultView run={run} name={name} />
      {run.kind === 'activation' && run.status === 'released' && owner ? (
        <button type="button" onClick={() => act(async () => downloadText(`audience-${run.id}.csv`, await room.audienceCsv(collaboration.id, run.id)))}>
          Download your audience (CSV)
        </button>
      ) : null}
      {reviewer && run.status === 'pending' ? (
        <p>
          <button type="button" onClick={() => act(async () => onChange(await room.review(collaboration.id, run.id, 'approved')))}>
            Approve the release
          </button>{' '}
          <button type="button" onClick={() => act(async () => onChange(await room.review(collaboration.id, run.id, 'rejected')))}>
            Reject
          </button>
        </p>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </section>
  );
}
