import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';

const MAX_LENGTH = 256;

/**
 * Normalise a customer or external id: invisible characters removed, Unicode NFC,
 * whitespace trimmed at both ends — and nothing else. Case and inner spaces are kept,
 * because ids are opaque: "AB-12" and "ab-12" may be two customers. At most 256
 * characters.
 *
 * @example
 * ```ts
 * normalizeExternalId('  CUST-00042 '); // { ok: true, value: 'CUST-00042' }
 * normalizeExternalId('   ');           // { ok: false, reason: 'empty value' }
 * ```
 */
export function normalizeExternalId(raw: string): Normalized {
  const value = cleanText(raw);
  if (value.length === 0) return { ok: false, reason: 'empty value' };
  if (value.length > MAX_LENGTH) {
    return { ok: false, reason: `not an id: longer than ${MAX_LENGTH} characters` };
  }
  return { ok: true, value };
}
