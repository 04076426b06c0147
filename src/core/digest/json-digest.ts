import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The content digest of a JSON value: `sha256:` and the lower-case hex SHA-256 of its
 * canonical JSON (UTF-8). Equal values give equal digests whatever their key order or
 * formatting. Used for template digests and the `resultDigest` of audit events.
 *
 * @example
 * ```ts
 * jsonDigest({ b: 1, a: 2 }) === jsonDigest({ a: 2, b: 1 }); // true
 * jsonDigest({});  // 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 * ```
 */
export function jsonDigest(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/**
 * Lower-case hex SHA-256 of a text (as UTF-8) or of bytes.
 *
 * @example
 * ```ts
 * sha256Hex('{}'); // '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
