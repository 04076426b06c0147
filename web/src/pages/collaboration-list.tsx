import type { Resources } from '../api/resources.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';
import { usePartyNames } from '../components/use-party-names.js';

/**
 * The party's collaborations, each with its template and status, and a way to start one.
 *
 * @example
 * ```tsx
 * <CollaborationList room={room} />
 * ```
 */
export function CollaborationList({ room }: { room: Resources }) {
  const list = useLoad(() => room.collaborations(), [room]);
  const name = usePartyNames(room);
  return (
    <main>
      <h2>Your collaborations</h2>
      <p>
        <a href="#/new" class="button">New collaboration</a>
      </p>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.loading && list.data === undefined ? <p>Loading…</p> : null}
      {list.data?.length === 0 ? <p class="note">You are not in any collaboration yet.</p> : null}
      <ul class="cards">
        {list.data?.map((c) => (
          <li key={c.id} data-collaboration={c.id}>
            <a href={`#/c/${encodeURIComponent(c.id)}`}>
              <strong>{c.name}</strong>
            </a>
            <span> — {c.template.title} (v{c.template.version})</span>
            <div class="meta">
              {Object.entries(c.members).map(([role, party]) => `${role}: ${name(party)}`).join(' · ')} · {Object.keys(c.datasets).length}/{Object.keys(c.template.datasets).length} datasets uploaded
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
