import type { HashEncoding } from './identity-profile.js';

/** An existing SHA-256 digest in its canonical text form and the encoding it was written in. */
export interface ExistingDigest {
  /** Hex lower-cased, or the canonical Base64 of the 32 bytes. */
  canonical: string;
  encoding: HashEncoding;
}

const DIGEST_BYTES = 32;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The one rule of "this value is already a SHA-256 digest", used by `cleanroom normalize`,
 * `cleanroom prepare`, the browser and in-room hashing alike: the value, trimmed, is 64
 * hex digits (any case), or — for a Base64 profile (uid2) — the canonical 44-character
 * Base64 of 32 bytes. The partners pass such values through rather than hash them again
 * (Meta's Parameter Builder and business SDKs, lower-cased; the UID2 operator's
 * normalizeEmailHash / normalizePhoneHash). An MD5 digest (32 hex digits) is *not* taken
 * for one: it cannot be turned into the SHA-256 the other side holds, and a 32-hex-digit
 * external id is an id; it is normalised like any other value.
 *
 * @example
 * ```ts
 * readExistingDigest(' 8DF99A46F811595E1A1DE5016E2445BC202F72B946482032A75AEC528A0A350D ', 'hex');
 * // { canonical: '8df99a46…350d', encoding: 'hex' }
 * readExistingDigest('d41d8cd98f00b204e9800998ecf8427e', 'hex'); // undefined (MD5)
 * ```
 */
export function readExistingDigest(value: string, encoding: HashEncoding): ExistingDigest | undefined {
  // Cheap length test first: this runs on every raw value of the prepare pipeline.
  if (value.length < 44) return undefined;
  const text = value.length === 64 || value.length === 44 ? value : value.trim();
  if (text.length === 64 && HEX64.test(text)) return { canonical: text.toLowerCase(), encoding: 'hex' };
  if (encoding === 'base64' && text.length === 44 && BASE64_DIGEST.test(text)) {
    // Only the canonical Base64 of 32 bytes (unused low bits zero) counts as a digest.
    const bytes = fromBase64(text);
    if (bytes.length === DIGEST_BYTES && toBase64(bytes) === text) return { canonical: text, encoding: 'base64' };
  }
  return undefined;
}

/**
 * The existing digest of a value written in `encoding` (hex converted to Base64 for a
 * Base64 profile, as the UID2 operator does), or undefined when the value is no digest.
 *
 * @example
 * ```ts
 * existingDigest('0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B', 'base64');
 * // 'DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs='
 * ```
 */
export function existingDigest(value: string, encoding: HashEncoding): string | undefined {
  const digest = readExistingDigest(value, encoding);
  if (digest === undefined) return undefined;
  return digest.encoding === encoding ? digest.canonical : convertDigest(digest.canonical, encoding);
}

/**
 * The 32 bytes of an existing digest, for re-keying it (HMAC) or writing it in another
 * encoding; undefined when the value is no digest by {@link readExistingDigest}.
 *
 * @example
 * ```ts
 * existingDigestBytes('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex')?.length; // 32
 * ```
 */
export function existingDigestBytes(value: string, encoding: HashEncoding): Uint8Array | undefined {
  const digest = readExistingDigest(value, encoding);
  if (digest === undefined) return undefined;
  return digest.encoding === 'hex' ? fromHex(digest.canonical) : fromBase64(digest.canonical);
}

// Plain conversions, no Buffer: this module runs in the browser's Web Workers too.
function convertDigest(canonical: string, to: HashEncoding): string {
  return to === 'base64' ? toBase64(fromHex(canonical)) : toHex(fromBase64(canonical));
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
