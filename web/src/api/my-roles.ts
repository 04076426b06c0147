import type { Collaboration, Identity } from './types.js';

/**
 * The roles the signed-in party plays in a collaboration: from the server's own answer
 * when it sends one (`yourRoles` or `roles`), else from the members by party id. When
 * neither is known, every role: the UI offers the actions and the server decides.
 *
 * @example
 * ```ts
 * myRoles(collaboration, { kind: 'party', id: 'p_ret', name: 'Retailer' }); // ['retailer']
 * ```
 */
export function myRoles(collaboration: Collaboration, identity: Identity): string[] {
  const sent = (collaboration as unknown as { yourRoles?: unknown; roles?: unknown }).yourRoles ?? (collaboration as unknown as { roles?: unknown }).roles;
  if (Array.isArray(sent)) return sent.map(String);
  if (identity.kind === 'party' && identity.id !== null) {
    return Object.entries(collaboration.members)
      .filter(([, party]) => party === identity.id)
      .map(([role]) => role);
  }
  return Object.keys(collaboration.members);
}

/**
 * Whether one of `roles` has an ability in the collaboration's template.
 *
 * @example
 * ```ts
 * can(collaboration, ['retailer'], 'activates'); // true
 * ```
 */
export function can(collaboration: Collaboration, roles: readonly string[], ability: string): boolean {
  return roles.some((role) => collaboration.template.roles[role]?.abilities.includes(ability as never) ?? false);
}
