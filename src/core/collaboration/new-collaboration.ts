import { CleanRoomError } from '../errors.js';
import { templateDigest } from '../template/index.js';
import type { Template } from '../template/index.js';
import type { Actor, Collaboration } from './collaboration.js';

/**
 * A new collaboration record from a validated template, before anything is stored: every
 * role of the template needs exactly one member and no member may hold an unknown role
 * (`invalid_argument`), and the creating party must be a member (`forbidden`). The template
 * is pinned by its digest; nobody has attested yet and no dataset is uploaded.
 *
 * @example
 * ```ts
 * const c = newCollaboration(retailer, { name: 'Q3', template, members: { publisher: 'p_pub', retailer: 'p_ret' } }, { id: 'c_1', now: '2026-12-07T00:00:00.000Z' });
 * c.templateDigest; // 'sha256:…'
 * ```
 */
export function newCollaboration(
  actor: Actor,
  input: { name: string; template: Template; members: Record<string, string> },
  options: { id: string; now: string },
): Collaboration {
  const { template, members, name } = input;
  const missing = Object.keys(template.roles).filter((role) => !Object.hasOwn(members, role));
  const unknown = Object.keys(members).filter((role) => !Object.hasOwn(template.roles, role));
  if (missing.length > 0 || unknown.length > 0) {
    throw new CleanRoomError('invalid_argument', `Cannot create collaboration '${name}': every role needs one member (${missing.length > 0 ? `missing: ${missing.join(', ')}` : `unknown roles: ${unknown.join(', ')}`})`, {
      details: { field: 'members' },
    });
  }
  if (!Object.values(members).includes(actor.party)) {
    throw new CleanRoomError('forbidden', `Cannot create collaboration '${name}': the creating party must be one of its members`, { details: { field: 'members' } });
  }
  return {
    id: options.id,
    name,
    template,
    templateDigest: templateDigest(template),
    members: { ...members },
    createdBy: actor.party,
    createdAt: options.now,
    attestations: [],
    datasets: {},
    matches: {},
  };
}
