import type { Normalized } from '../../identifier-kind.js';

/**
 * Meta's `ph` rule (facebook/capi-param-builder, getNormalizedPhone): every character that
 * is not an ASCII digit is dropped, then the leading zeros. The number is not validated and
 * no country code is added: Meta expects the country code in the value, and hashes
 * '5551234567' and '911' as they are.
 *
 * @example
 * ```ts
 * metaPhone('+1 (650) 555-1212'); // { ok: true, value: '16505551212' }
 * metaPhone('+001 (616) 954-78 88'); // { ok: true, value: '16169547888' }
 * ```
 */
export function metaPhone(raw: string): Normalized {
  let value = raw.replace(/[^0-9]+/g, '');
  let zeros = 0;
  while (zeros < value.length && value.charCodeAt(zeros) === 48) zeros++;
  if (zeros > 0) value = value.slice(zeros);
  if (value.length !== 0) return { ok: true, value };
  return { ok: false, reason: raw.trim().length === 0 ? 'empty value' : 'not a phone number: no digit other than leading zeros' };
}
