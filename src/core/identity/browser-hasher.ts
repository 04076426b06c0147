import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CleanRoomError } from '../errors.js';
import { existingDigestBytes } from './existing-digest.js';
import type { Hasher, HasherOptions } from './hash-identifier.js';
import type { HashEncoding } from './identity-profile.js';

const encoder = new TextEncoder();

/**
 * The browser twin of `createHasher` (core/identity/hash-identifier.ts): the same
 * `{ hash, asExistingHash }` contract and the same output for every input, built on
 * @noble/hashes' synchronous SHA-256 and HMAC instead of `node:crypto`, so that
 * `prepareChunk` runs unchanged in a Web Worker. Web Crypto's digest is asynchronous and
 * cannot serve a synchronous per-value hasher. Slower than the Node one; equal by test.
 *
 * @example
 * ```ts
 * createBrowserHasher({ scheme: 'sha256', encoding: 'hex' }).hash('john_smith@gmail.com');
 * // '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'
 * ```
 */
export function createBrowserHasher(options: HasherOptions): Hasher {
  const { scheme, encoding, key } = options;
  if (scheme === 'sha256') {
    return {
      hash: (normalized) => encode(sha256(encoder.encode(normalized)), encoding),
      asExistingHash: (value) => {
        const digest = existingDigestBytes(value, encoding);
        return digest === undefined ? undefined : encode(digest, encoding);
      },
    };
  }
  if (key === undefined) {
    throw new CleanRoomError('invalid_argument', "Cannot create an 'hmac' hasher: no key was given");
  }
  // One keyed state, cloned per value: the key schedule is computed once.
  const keyed = hmac.create(sha256, key);
  const hmacOf = (digest: Uint8Array): string => encode(keyed.clone().update(digest).digest(), encoding);
  return {
    hash: (normalized) => hmacOf(sha256(encoder.encode(normalized))),
    asExistingHash: (value) => {
      const digest = existingDigestBytes(value, encoding);
      return digest === undefined ? undefined : hmacOf(digest);
    },
  };
}

function encode(bytes: Uint8Array, encoding: HashEncoding): string {
  return encoding === 'hex' ? bytesToHex(bytes) : toBase64(bytes);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}
