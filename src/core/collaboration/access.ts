import { CleanRoomError } from '../errors.js';
import type { Ability, Template } from '../template/index.js';
import type { Collaboration } from './collaboration.js';

/**
 * The roles a party holds in a collaboration (usually one).
 *
 * @example
 * ```ts
 * rolesOf(collaboration, 'p_retailer'); // ['retailer']
 * ```
 */
export function rolesOf(collaboration: Collaboration, party: string): string[] {
  return Object.entries(collaboration.members)
    .filter(([, member]) => member === party)
    .map(([role]) => role);
}

/**
 * The collaboration, if the party is a member; otherwise the same not_found a missing id
 * gets, so that ids of other collaborations reveal nothing.
 */
export function asMember(collaboration: Collaboration | undefined, party: string, id: string): Collaboration {
  if (collaboration === undefined || rolesOf(collaboration, party).length === 0) {
    throw new CleanRoomError('not_found', `Cannot find collaboration ${id}`, { details: { field: 'collaboration' } });
  }
  return collaboration;
}

/** Whether any of the party's roles has the ability. */
export function hasAbility(template: Template, roles: readonly string[], ability: Ability): boolean {
  return roles.some((role) => Object.hasOwn(template.roles, role) && template.roles[role]!.abilities.includes(ability));
}

/** Own-property lookup of a name-keyed template map: never an inherited member. */
export function own<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}
