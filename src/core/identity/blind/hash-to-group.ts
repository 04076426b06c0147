import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { loadedSodium } from './sodium.js';

/**
 * The domain separation tag of cleanroom's hash to ristretto255 (RFC 9380 §3.1 form:
 * application, version, then the suite ID `ristretto255_XMD:SHA-512_R255MAP_RO_`). Fixed:
 * changing it changes every blinded identifier, so it is part of the protocol (docs/double-blind.md).
 */
export const BLIND_DST = 'cleanroom-v1-double-blind-ristretto255_XMD:SHA-512_R255MAP_RO_';

/** Options of {@link hashToGroup}. */
export interface HashToGroupOptions {
  /** Another domain separation tag; only for test vectors of other protocols. */
  dst?: string;
}

/**
 * Map a normalised identifier to a ristretto255 element by RFC 9380 `hash_to_ristretto255`:
 * `expand_message_xmd` with SHA-512 to 64 bytes under {@link BLIND_DST}, then the RFC 9496
 * one-way map (libsodium's `crypto_core_ristretto255_from_hash`). The input is the UTF-8
 * bytes of the value exactly as normalised; the result is the 32-byte encoding.
 * Needs {@link blindReady}.
 *
 * @example
 * ```ts
 * await blindReady();
 * hashToGroup('jane@example.com'); // Uint8Array(32), the same on every machine
 * ```
 */
export function hashToGroup(value: string | Uint8Array, options: HashToGroupOptions = {}): Uint8Array {
  const { dst = BLIND_DST } = options;
  const message = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return elementFromUniformBytes(expand_message_xmd(message, dst, 64, sha512));
}

/**
 * The RFC 9496 §4.3.4 one-way map ("element derivation") from 64 uniform bytes to an
 * encoded element: the second half of {@link hashToGroup}, tested on its own against the
 * RFC's vectors.
 *
 * @example
 * ```ts
 * elementFromUniformBytes(sha512(label)); // Uint8Array(32)
 * ```
 */
export function elementFromUniformBytes(uniform: Uint8Array): Uint8Array {
  if (uniform.length !== 64) throw new RangeError(`Cannot map ${uniform.length} bytes to ristretto255: 64 are needed`);
  return loadedSodium().crypto_core_ristretto255_from_hash(uniform);
}
