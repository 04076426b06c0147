import { CleanRoomError } from '../../errors.js';
import type { BlindKey } from './blind-key.js';
import { elementProblem } from './check-element.js';
import { loadedSodium } from './sodium.js';

/**
 * Blind one element with a party's secret key: the scalar multiplication `key · element`
 * (libsodium `crypto_scalarmult_ristretto255`), which commutes: `a · (b · P) = b · (a · P)`.
 * The element is checked first (canonical, in the group, not the identity); a refused one
 * throws `invalid_input` naming `where`.
 *
 * @example
 * ```ts
 * await blindReady();
 * const once = blind(hashToGroup('jane@example.com'), myKey);
 * const twice = blind(once, theirKey); // equals blind(blind(hashToGroup(…), theirKey), myKey)
 * ```
 */
export function blind(element: Uint8Array, key: BlindKey, where = 'the element'): Uint8Array {
  const problem = elementProblem(element);
  if (problem !== undefined) {
    throw new CleanRoomError('invalid_input', `Cannot blind ${where}: it is refused as ${problem.replaceAll('_', ' ')}`, {
      details: { where, problem },
    });
  }
  return loadedSodium().crypto_scalarmult_ristretto255(key, element);
}
