import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { Identity } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { useLoad } from '../components/use-load.js';

/**
 * Creates a collaboration from a ready template: a name, then one member party per role,
 * chosen from the server's parties (the signed-in party must be one of them).
 *
 * @example
 * ```tsx
 * <NewCollaboration room={room} identity={identity} />
 * ```
 */
export function NewCollaboration({ room, identity }: { room: Resources; identity: Identity }) {
  const templates = useLoad(() => room.templates(), [room]);
  const parties = useLoad(() => room.parties(), [room]);
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const info = templates.data?.find((t) => t.template.name === chosen);
  const self = identity.kind === 'party' ? identity.id : null;

  const create = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await room.createCollaboration({ name, template: chosen, members });
      location.hash = `#/c/${encodeURIComponent(created.id)}`;
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <h2>New collaboration</h2>
      {templates.error ? <ErrorBox error={templates.error} /> : null}
      {parties.error ? <ErrorBox error={parties.error} /> : null}
      <form onSubmit={create} class="stacked">
        <label>
          Template
          <select name="template" value={chosen} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)} required>
            <option value="">Choose a ready template…</option>
            {templates.data?.map((t) => (
              <option key={t.template.name} value={t.template.name}>
                {t.template.title} (v{t.template.version})
              </option>
            ))}
          </select>
        </label>
        {info ? <p class="note">{info.template.description}</p> : null}
        <label>
          Name
          <input name="name" value={name} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        {info
          ? Object.entries(info.template.roles).map(([role, spec]) => (
              <label key={role} data-role={role}>
                {role} <small>({spec.abilities.join(', ')}) — {spec.description}</small>
                <select name={`member-${role}`} value={members[role] ?? ''} required onChange={(e) => setMembers((m) => ({ ...m, [role]: (e.currentTarget as HTMLSelectElement).value }))}>
                  <option value="">Choose the party…</option>
                  {parties.data?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.id})
                    </option>
                  ))}
                </select>
              </label>
            ))
          : null}
        {self !== null ? <p class="note">Your party id: <code>{self}</code></p> : null}
        <button type="submit" disabled={busy || info === undefined}>
          Create
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
    </main>
  );
}
