import { useState } from 'preact/hooks';
import type { Resources } from '../api/resources.js';
import type { Collaboration } from '../api/types.js';
import { ErrorBox } from '../components/error-box.js';
import { usePartyNames } from '../components/use-party-names.js';

/**
 * The data-use terms of the collaboration's exact template (version and digest), who has
 * accepted them, and the signed-in party's acceptance.
 *
 * @example
 * ```tsx
 * <TermsPanel room={room} collaboration={c} roles={['retailer']} onChange={reload} />
 * ```
 */
export function TermsPanel({ room, collaboration, roles, onChange }: { room: Resources; collaboration: Collaboration; roles: string[]; onChange: () => void }) {
  const [error, setError] = useState<Error>();
  const name = usePartyNames(room);
  const [read, setRead] = useState(false);
  const { terms } = collaboration.template;
  const accepted = roles.length > 0 && roles.every((role) => collaboration.attestations.some((a) => a.role === role));
  const accept = async (): Promise<void> => {
    try {
      await room.attest(collaboration.id, { termsVersion: terms.version, templateDigest: collaboration.templateDigest });
      onChange();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section class="terms" id="terms">
      <h3>Data-use terms (version {terms.version})</h3>
      <blockquote>{terms.text}</blockquote>
      <p class="meta">
        Template {collaboration.template.name} v{collaboration.template.version}, digest <code>{collaboration.templateDigest}</code>
      </p>
      <ul>
        {Object.entries(collaboration.members).map(([role, party]) => {
          const a = collaboration.attestations.find((x) => x.role === role);
          return (
            <li key={role}>
              {role}, {name(party)}: {a ? `accepted ${a.at}` : 'not yet accepted'}
            </li>
          );
        })}
      </ul>
      {accepted ? (
        <p class="ok">You have accepted these terms.</p>
      ) : (
        <div>
          <label class="inline">
            <input type="checkbox" name="termsRead" checked={read} onChange={(e) => setRead((e.currentTarget as HTMLInputElement).checked)} /> I have read the terms and my organisation accepts them.
          </label>
          <button type="button" disabled={!read} onClick={accept}>
            Accept the terms
          </button>
        </div>
      )}
      {error ? <ErrorBox error={error} /> : null}
    </section>
  );
}
