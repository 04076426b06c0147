import { CleanRoomError } from '../../../errors.js';
import { blind } from '../blind.js';
import type { BlindKey } from '../blind-key.js';
import { hashToGroup } from '../hash-to-group.js';

/** What is hashed to the public key-check point T (under the blind DST). */
export const KEY_CHECK_INPUT = 'cleanroom-v1 blind key check';

/**
 * A party's key check `K = key · T`, T the public point {@link KEY_CHECK_INPUT} hashes to.
 * The party's client sends it with its upload; the room then hides `r · T` (r its own
 * random scalar) among the elements it asks that party to blind, and expects `r · K` back,
 * which it can compute itself. A second blinding with another key, or with its outputs
 * reordered, fails that check. K is a blinded public constant: it tells nothing about any
 * identifier. Needs `blindReady()`.
 *
 * @example
 * ```ts
 * await blindReady();
 * keyCheck(myKey); // Uint8Array(32), the same for the same key every time
 * ```
 */
export function keyCheck(key: BlindKey): Uint8Array {
  return blind(keyCheckPoint(), key);
}

/**
 * The public point T of {@link keyCheck}.
 *
 * @example
 * ```ts
 * keyCheckPoint(); // hashToGroup('cleanroom-v1 blind key check')
 * ```
 */
export function keyCheckPoint(): Uint8Array {
  return hashToGroup(KEY_CHECK_INPUT);
}

/**
 * The key check a party registers with an upload: its first one, and on every later
 * upload the same again. A different one means the party blinds with another key than
 * before, so its new values could never match its old ones or the other side's second
 * blinding: refused as `conflict`, nothing stored.
 *
 * @example
 * ```ts
 * registerKeyCheck(undefined, offered, 'p_b'); // offered: the first registration
 * registerKeyCheck(registered, other, 'p_b'); // throws "Cannot take the upload of p_b: …"
 * ```
 */
export function registerKeyCheck(registered: string | undefined, offered: string, party: string): string {
  if (registered === undefined || registered === offered) return offered;
  throw new CleanRoomError('conflict', `Cannot take the upload of ${party}: it is blinded with another key than this party's earlier uploads to the collaboration; use the same blind key file`, {
    details: { field: 'key-check' },
  });
}
