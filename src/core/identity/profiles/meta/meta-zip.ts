import type { Normalized } from '../../identifier-kind.js';

/**
 * Meta's `zp` rule (facebook/capi-param-builder, getNormalizedZipCode): lower-case, the
 * part before the first '-', trimmed; at least 2 characters. Any postal code of any
 * country is kept as written (K1A 0A6 → k1a 0a6, with its space; 90210-1234 → 90210):
 * no default country is applied.
 *
 * @example
 * ```ts
 * metaZip('SW1A1AA'); // { ok: true, value: 'sw1a1aa' }
 * metaZip('94102-5678'); // { ok: true, value: '94102' }
 * ```
 */
export function metaZip(raw: string): Normalized {
  const lower = raw.toLowerCase();
  const dash = lower.indexOf('-');
  const value = (dash === -1 ? lower : lower.slice(0, dash)).trim();
  if (value.length >= 2) return { ok: true, value };
  if (raw.trim().length === 0) return { ok: false, reason: 'empty value' };
  return { ok: false, reason: "not a postal code Meta accepts: fewer than 2 characters before the first '-'" };
}
