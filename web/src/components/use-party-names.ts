import type { Resources } from '../api/resources.js';
import { useLoad } from './use-load.js';

/**
 * A function naming a party id by the server's list of parties (`Acme (p_1)`), the bare
 * id until the list arrives or when the party is not in it.
 *
 * @example
 * ```tsx
 * const name = usePartyNames(room);
 * <li>{role}: {name(partyId)}</li>
 * ```
 */
export function usePartyNames(room: Resources): (id: string) => string {
  const parties = useLoad(() => room.parties().catch(() => []), [room]);
  return (id) => {
    const found = parties.data?.find((p) => p.id === id);
    return found === undefined ? id : `${found.name} (${id})`;
  };
}
