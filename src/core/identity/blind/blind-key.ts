import { CleanRoomError } from '../../errors.js';
import { ELEMENT_BYTES, fromHex, toHex } from './encoding.js';
import { loadedSodium } from './sodium.js';

/** A party's secret blinding scalar (32 bytes, little-endian, canonical, not zero). */
export type BlindKey = Uint8Array & { readonly __brand: 'BlindKey' };

/** What a blind key file starts with, so that it is never taken for an HMAC key or the reverse. */
export const BLIND_KEY_PREFIX = 'cleanroom-blind-key-v1:';

// The order of ristretto255, ℓ = 2^252 + 27742317777372353535851937790883648493.
const GROUP_ORDER = (1n << 252n) + 27742317777372353535851937790883648493n;
const KEY_TEXT = /^cleanroom-blind-key-v1:([0-9a-f]{64})$/;

/**
 * A new secret blinding key: a uniformly random non-zero scalar from libsodium
 * (`crypto_core_ristretto255_scalar_random`, the system's secure random source).
 * Needs {@link blindReady}.
 *
 * @example
 * ```ts
 * await blindReady();
 * const key = newBlindKey();
 * formatBlindKey(key); // 'cleanroom-blind-key-v1:…'
 * ```
 */
export function newBlindKey(): BlindKey {
  return loadedSodium().crypto_core_ristretto255_scalar_random() as BlindKey;
}

/**
 * The text of a blind key file: {@link BLIND_KEY_PREFIX} then 64 lower-case hex characters.
 *
 * @example
 * ```ts
 * formatBlindKey(newBlindKey()); // 'cleanroom-blind-key-v1:5ebc…0e'
 * ```
 */
export function formatBlindKey(key: BlindKey): string {
  return `${BLIND_KEY_PREFIX}${toHex(key)}`;
}

/**
 * Parse the contents of a blind key file (whitespace around it ignored); throws
 * `invalid_input` for anything but a canonical, non-zero scalar in the form
 * {@link formatBlindKey} writes. Reading the file is the caller's job.
 *
 * @example
 * ```ts
 * readBlindKey(new TextEncoder().encode(formatBlindKey(key))); // the same key
 * readBlindKey(new TextEncoder().encode('3f1c…')); // throws "Cannot use key file as blind key: …"
 * ```
 */
export function readBlindKey(bytes: Uint8Array): BlindKey {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
  const match = KEY_TEXT.exec(text);
  if (match === null) {
    const why = text.startsWith(BLIND_KEY_PREFIX)
      ? `after ${BLIND_KEY_PREFIX} it must hold 64 lower-case hex characters`
      : `it does not start with ${BLIND_KEY_PREFIX} (an HMAC key from \`cleanroom keygen\` is not a blind key: use \`cleanroom keygen --blind\`)`;
    throw keyError(why);
  }
  const key = fromHex(match[1]!)!;
  const value = littleEndian(key);
  if (value === 0n) throw keyError('it is zero');
  if (value >= GROUP_ORDER) throw keyError('it is not a canonical scalar (not below the group order)');
  return key as BlindKey;
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = ELEMENT_BYTES - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function keyError(why: string): CleanRoomError {
  return new CleanRoomError('invalid_input', `Cannot use key file as blind key: ${why}`);
}
