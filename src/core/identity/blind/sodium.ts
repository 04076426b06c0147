import sodium from 'libsodium-wrappers-sumo';
import { CleanRoomError } from '../../errors.js';

let ready = false;

/**
 * Load the ristretto255 group (libsodium, compiled to WebAssembly) once; every other
 * function of `identity/blind/` needs it done. Safe to call many times.
 *
 * @example
 * ```ts
 * await blindReady();
 * hashToGroup('jane@example.com'); // now usable
 * ```
 */
export async function blindReady(): Promise<void> {
  await sodium.ready;
  ready = true;
}

/**
 * The loaded libsodium module, for the files of this folder; throws a clear error when
 * {@link blindReady} has not finished yet.
 *
 * @example
 * ```ts
 * loadedSodium().crypto_scalarmult_ristretto255(key, element);
 * ```
 */
export function loadedSodium(): typeof sodium {
  if (!ready) {
    throw new CleanRoomError('internal', 'Cannot use double-blind identifiers as the group is not loaded: call blindReady() first');
  }
  return sodium;
}
