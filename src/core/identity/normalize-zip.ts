import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';

/** Options of {@link normalizeZip}. */
export interface NormalizeZipOptions {
  /** ISO 3166-1 alpha-2 country whose postal code rule applies. Default 'US'. */
  defaultCountry?: string;
}

/** Countries and territories that use US ZIP codes. */
const US_ZIP_COUNTRIES: ReadonlySet<string> = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP', 'UM']);
/** Countries that use UK-style postcodes (the UK and the Crown Dependencies). */
const UK_POSTCODE_COUNTRIES: ReadonlySet<string> = new Set(['GB', 'UK', 'GG', 'JE', 'IM']);

const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;
/** Spreadsheets drop the leading zeros of New England and Puerto Rico ZIP codes. */
const US_ZIP_SHORT = /^\d{3,4}$/;
const CA_POSTAL = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/;
const UK_POSTCODE = /^(?:[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|GIR0AA)$/;
const SEPARATORS = /[\s\-.]+/g;
const ALNUM = /^[A-Z0-9]{2,10}$/;

/**
 * Normalise a postal code by the rule of `defaultCountry`:
 *
 * - US (and territories using ZIP codes): the 5-digit ZIP, from "94043" or ZIP+4
 *   "94043-1234" / "940431234"; 3–4 digits are left-padded with zeros (a spreadsheet
 *   dropped them: "2134" → "02134").
 * - CA: "A1A1A1", upper case, no space.
 * - GB, GG, JE, IM: the full postcode, upper case, no space ("SW1A 1AA" → "SW1A1AA").
 * - Other countries: letters and digits only, upper case, 2 to 10 characters
 *   ("1234 ab" → "1234AB", "00-950" → "00950").
 *
 * @example
 * ```ts
 * normalizeZip('94043-1234');                          // { ok: true, value: '94043' }
 * normalizeZip('sw1a 1aa', { defaultCountry: 'GB' });  // { ok: true, value: 'SW1A1AA' }
 * normalizeZip('k1a 0b1', { defaultCountry: 'CA' });   // { ok: true, value: 'K1A0B1' }
 * ```
 */
export function normalizeZip(raw: string, options: NormalizeZipOptions = {}): Normalized {
  const { defaultCountry = 'US' } = options;
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const country = defaultCountry.toUpperCase();

  if (US_ZIP_COUNTRIES.has(country)) {
    const zip = text.length === 5 ? text : text.replace(SEPARATORS, '-');
    const match = US_ZIP.exec(zip);
    if (match?.[1] !== undefined) return { ok: true, value: match[1] };
    if (US_ZIP_SHORT.test(zip)) return { ok: true, value: zip.padStart(5, '0') };
    return { ok: false, reason: 'not a US ZIP code: expected 5 digits or ZIP+4 (12345-6789)' };
  }

  const compact = text.replace(SEPARATORS, '').toUpperCase();
  if (country === 'CA') {
    if (CA_POSTAL.test(compact)) return { ok: true, value: compact };
    return { ok: false, reason: 'not a Canadian postal code: expected A1A 1A1' };
  }
  if (UK_POSTCODE_COUNTRIES.has(country)) {
    if (UK_POSTCODE.test(compact)) return { ok: true, value: compact };
    return { ok: false, reason: 'not a UK postcode: expected a form like SW1A 1AA' };
  }
  if (ALNUM.test(compact)) return { ok: true, value: compact };
  return { ok: false, reason: 'not a postal code: expected 2 to 10 letters or digits' };
}
