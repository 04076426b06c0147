import { existingDigestBytes } from '../existing-digest.js';
import type { Hasher } from '../hash-identifier.js';
import type { HashEncoding } from '../identity-profile.js';
import { blind } from './blind.js';
import type { BlindKey } from './blind-key.js';
import { toHex } from './encoding.js';
import { hashToGroup } from './hash-to-group.js';

/** Options of {@link createBlindHasher}. */
export interface BlindHasherOptions {
  /** How an already hashed input value is written (hex, or Base64 for a Base64 profile). */
  encoding?: HashEncoding;
  /** SHA-256 of the normalised value's UTF-8 bytes: node:crypto's in Node, @noble/hashes' in the browser (core imports neither). */
  sha256: (text: string) => Uint8Array;
}

/**
 * The party-side hasher of a double-blind collaboration: the SHA-256 digest of the
 * normalised value (its 32 bytes) is hashed to ristretto255 and blinded with the party's
 * own key, written as 64 lower-case hex characters. Mapping the digest rather than the text
 * lets a party that holds only SHA-256 digests (64 hex, or 44 Base64 under a Base64
 * profile) take part: its digests give the same element as the raw values would.
 * Needs `blindReady()`.
 *
 * @example
 * ```ts
 * await blindReady();
 * const hasher = createBlindHasher(myKey, { sha256: (text) => createHash('sha256').update(text).digest() });
 * hasher.hash('jane@example.com'); // 'c4…' (64 hex), = myKey · hashToGroup(SHA-256('jane@example.com'))
 * hasher.asExistingHash(sha256Hex('jane@example.com')); // the same value
 * ```
 */
export function createBlindHasher(key: BlindKey, options: BlindHasherOptions): Hasher {
  const { encoding = 'hex', sha256 } = options;
  const blindDigest = (digest: Uint8Array): string => toHex(blind(hashToGroup(digest), key));
  return {
    hash: (normalized) => blindDigest(sha256(normalized)),
    asExistingHash: (value) => {
      const bytes = existingDigestBytes(value, encoding);
      return bytes === undefined ? undefined : blindDigest(bytes);
    },
  };
}
