import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
/** Bytes of an encoded ristretto255 element, and of a scalar (a blinding key). */
export const ELEMENT_BYTES = 32;

const HEX_64 = /^[0-9a-f]{64}$/;

// Node's Buffer is the fast path; the browser (no Buffer) uses @noble/hashes' converters.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/**
 * Lower-case hex of 32 bytes: how elements travel in CSV files and JSON.
 *
 * @example
 * ```ts
 * toHex(new Uint8Array(32)); // '00…00' (64 characters)
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  return NodeBuffer !== undefined ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : bytesToHex(bytes);
}

/**
 * The 32 bytes of 64 lower-case hex characters, or undefined for any other text
 * (upper case is refused so that one element has exactly one text form).
 *
 * @example
 * ```ts
 * fromHex('ab'.repeat(32)); // Uint8Array(32)
 * fromHex('AB'.repeat(32)); // undefined
 * ```
 */
export function fromHex(text: string): Uint8Array | undefined {
  if (!HEX_64.test(text)) return undefined;
  return NodeBuffer !== undefined ? new Uint8Array(NodeBuffer.from(text, 'hex')) : hexToBytes(text);
}
