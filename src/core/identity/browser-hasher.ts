import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { CleanRoomError } from '../errors.js';
import type { Hasher, HasherOptions } from './hash-identifier.js';
import type { HashEncoding } from './identity-profile.js';

const DIGEST = 32;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;
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
        const digest = existingDigest(value, encoding);
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
      const digest = existingDigest(value, encoding);
      return digest === undefined ? undefined : hmacOf(digest);
    },
  };
}

/** The 32 digest bytes when `value` is already a SHA-256 hash, by the Node hasher's rules. */
function existingDigest(value: string, encoding: HashEncoding): Uint8Array | undefined {
  if (value.length < 44) return undefined;
  const text = value.length === 64 || value.length === 44 ? value : value.trim();
  if (text.length === 64 && HEX64.test(text)) return hexToBytes(text.toLowerCase());
  if (encoding === 'base64' && text.length === 44 && BASE64_DIGEST.test(text)) {
    const bytes = fromBase64(text);
    // Only the canonical Base64 of 32 bytes (unused low bits zero) counts as a digest.
    if (bytes.length === DIGEST && toBase64(bytes) === text) return bytes;
  }
  return undefined;
}

function encode(bytes: Uint8Array, encoding: HashEncoding): string {
  return encoding === 'hex' ? bytesToHex(bytes) : toBase64(bytes);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
