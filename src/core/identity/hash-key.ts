import { randomBytes } from 'node:crypto';
import { CleanRoomError } from '../errors.js';

const MIN_KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const LINE_BREAK = /[\r\n]/;

/**
 * Parse the contents of an HMAC key file: one line of hex (tried first) or Base64 /
 * Base64url text, whitespace around it ignored, decoding to at least 32 bytes. Reading
 * the file is the caller's job.
 *
 * @example
 * ```ts
 * const key = readHashKey(await readFile('collab.key')); // Uint8Array of 32+ bytes
 * readHashKey(new TextEncoder().encode('abc')); // throws invalid_input "Cannot use key file as HMAC key: ..."
 * ```
 */
export function readHashKey(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
  if (text.length === 0) throw keyError('it is empty');
  if (LINE_BREAK.test(text)) throw keyError('it must hold one line of hex or Base64 text');
  let key: Buffer;
  if (HEX.test(text) && text.length % 2 === 0) key = Buffer.from(text, 'hex');
  else if (BASE64.test(text) && text.length % 4 === 0) key = Buffer.from(text, 'base64');
  else if (BASE64URL.test(text)) key = Buffer.from(text, 'base64url');
  else throw keyError('it is neither hex nor Base64 text');
  if (key.length < MIN_KEY_BYTES) {
    throw keyError(`it decodes to ${key.length} bytes, at least ${MIN_KEY_BYTES} are needed`, {
      bytes: key.length,
    });
  }
  return new Uint8Array(key);
}

/**
 * A new random HMAC key: 32 bytes from the system's secure random source, as hex text
 * (what `cleanroom keygen` writes, and what {@link readHashKey} reads back).
 *
 * @example
 * ```ts
 * generateHashKey(); // '3f1c…' (64 hex characters)
 * ```
 */
export function generateHashKey(): string {
  return randomBytes(MIN_KEY_BYTES).toString('hex');
}

function keyError(why: string, details: Record<string, unknown> = {}): CleanRoomError {
  return new CleanRoomError('invalid_input', `Cannot use key file as HMAC key: ${why}`, { details });
}
