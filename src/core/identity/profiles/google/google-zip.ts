import type { Normalized } from '../../identifier-kind.js';

const US_ZIP = /^(\d{5})(?:[-\s]?\d{4})?$/;
const POSTAL_CODE = /^[A-Z0-9](?:[A-Z0-9]| (?=[A-Z0-9])){1,9}$/;

/**
 * Google's postal code rule (Customer Match, "Format your customer data",
 * https://support.google.com/google-ads/answer/7475964): "both US and international zip
 * and postal codes are allowed"; a US ZIP is its 5 digits (ZIP+4 read, the +4 left out so
 * both sides agree), any other code is kept as written, upper-case with one space between
 * its parts (WC2H 8LG), whatever the default country.
 *
 * @example
 * ```ts
 * googleZip('94303-5300'); // { ok: true, value: '94303' }
 * googleZip('wc2h  8lg'); // { ok: true, value: 'WC2H 8LG' }
 * ```
 */
export function googleZip(raw: string): Normalized {
  const text = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const us = US_ZIP.exec(text);
  if (us !== null) return { ok: true, value: us[1]! };
  if (POSTAL_CODE.test(text)) return { ok: true, value: text };
  return { ok: false, reason: 'not a postal code: expected 2 to 10 letters and digits, parts separated by one space' };
}
