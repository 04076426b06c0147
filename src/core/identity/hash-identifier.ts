import { hash as oneShotHash } from 'node:crypto';
import { CleanRoomError } from '../errors.js';
import { existingDigest, existingDigestBytes } from './existing-digest.js';
import type { HashEncoding } from './identity-profile.js';

export { generateHashKey, readHashKey } from './hash-key.js';

/**
 * How prepare protects identifiers: SHA-256, HMAC-SHA256 under a shared key, or blinded
 * with the party's own secret key for a double-blind collaboration (`identity/blind/`).
 *
 * @example
 * ```ts
 * const scheme: PrepareScheme = template.identity.hashing === 'double-blind' ? 'blind' : 'sha256';
 * ```
 */
export type PrepareScheme = 'sha256' | 'hmac' | 'blind';

/** Options of {@link createHasher}. */
export interface HasherOptions {
  /** 'sha256': SHA-256 of the value. 'hmac': HMAC-SHA256 under `key` of that SHA-256. */
  scheme: 'sha256' | 'hmac';
  /** How hashes are written: lower-case hex (64 chars) or standard Base64 (44 chars). */
  encoding: HashEncoding;
  /** The HMAC key (at least 32 bytes, see readHashKey); required for 'hmac'. */
  key?: Uint8Array;
}

/** Hashes normalised identifiers, and recognises values that are already hashes. */
export interface Hasher {
  /** The hash of a normalised value. */
  hash(normalized: string): string;
  /**
   * When `value` (trimmed) is already a SHA-256 hash — 64 hex digits, or 44 Base64
   * characters under a Base64 encoding — its canonical form under this hasher (re-keyed
   * under 'hmac'); otherwise undefined. A hash is never hashed again.
   */
  asExistingHash(value: string): string | undefined;
}

const BLOCK = 64;
const DIGEST = 32;

/**
 * A hasher for one scheme and encoding.
 *
 * sha256: SHA-256(UTF-8(normalized)). hmac: HMAC-SHA256(key, SHA-256 bytes of normalized):
 * it re-keys a plain SHA-256, so a party that only holds SHA-256 hashes gets the same
 * result as one that holds the raw values.
 *
 * @example
 * ```ts
 * createHasher({ scheme: 'sha256', encoding: 'hex' }).hash('john_smith@gmail.com');
 * // '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'
 * const keyed = createHasher({ scheme: 'hmac', encoding: 'base64', key });
 * keyed.asExistingHash('62A14E44…'); // the HMAC of those digest bytes, in Base64
 * ```
 */
export function createHasher(options: HasherOptions): Hasher {
  const { scheme, encoding, key } = options;
  if (scheme === 'sha256') {
    return {
      hash: (normalized) => oneShotHash('sha256', normalized, encoding),
      asExistingHash: (value) => existingDigest(value, encoding),
    };
  }
  if (key === undefined) {
    throw new CleanRoomError('invalid_argument', "Cannot create an 'hmac' hasher: no key was given");
  }
  const hmacOfDigest = createDigestHmac(key, encoding);
  return {
    hash: (normalized) => hmacOfDigest(oneShotHash('sha256', normalized, 'binary')),
    asExistingHash: (value) => {
      const bytes = existingDigestBytes(value, encoding);
      return bytes === undefined ? undefined : hmacOfDigest(Buffer.from(bytes).toString('latin1'));
    },
  };
}

/**
 * SHA-256 of one normalised value with no key, in an encoding: the one-shot form of
 * `createHasher({ scheme: 'sha256', encoding }).hash(value)`.
 *
 * @example
 * ```ts
 * hashIdentifier('user@example.com', { encoding: 'base64' }); // 'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='
 * ```
 */
export function hashIdentifier(normalized: string, options: { encoding?: HashEncoding } = {}): string {
  const { encoding = 'hex' } = options;
  return oneShotHash('sha256', normalized, encoding);
}

/**
 * HMAC-SHA256(key, digest) from three one-shot SHA-256 calls over preallocated
 * `ipad || digest` and `opad || inner` buffers: about twice as fast as createHmac per
 * value, because no Hmac or Buffer object is made per call. Digests travel as 32-char
 * latin1 ('binary') strings, one char per byte: the cheapest form node:crypto returns.
 */
function createDigestHmac(key: Uint8Array, encoding: HashEncoding): (digestLatin1: string) => string {
  const blockKey = Buffer.alloc(BLOCK);
  if (key.length > BLOCK) Buffer.from(oneShotHash('sha256', key, 'binary'), 'latin1').copy(blockKey);
  else blockKey.set(key);
  const inner = Buffer.alloc(BLOCK + DIGEST);
  const outer = Buffer.alloc(BLOCK + DIGEST);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (blockKey[i] ?? 0) ^ 0x36;
    outer[i] = (blockKey[i] ?? 0) ^ 0x5c;
  }
  return (digestLatin1) => {
    inner.write(digestLatin1, BLOCK, 'latin1');
    outer.write(oneShotHash('sha256', inner, 'binary'), BLOCK, 'latin1');
    return oneShotHash('sha256', outer, encoding);
  };
}
