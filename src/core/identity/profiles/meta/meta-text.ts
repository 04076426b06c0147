import type { Normalized } from '../../identifier-kind.js';

/** ASCII punctuation `!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~` and every whitespace character, as Meta strips them from names. */
const PUNCTUATION_AND_SPACE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~\s]+/g;
const NOT_ASCII_ALPHANUMERIC = /[^a-zA-Z0-9]+/g;
const WHITESPACE = /\s+/g;

/**
 * Meta's `fn` / `ln` rule (facebook/capi-param-builder, getNormalizedName): whitespace and
 * ASCII punctuation removed, lower-case. Letters of every script and their accents are
 * kept (Valéry → valéry), and so are digits; no title or suffix is dropped.
 *
 * @example
 * ```ts
 * metaName("Mary-Ann O'Neil"); // { ok: true, value: 'maryannoneil' }
 * ```
 */
export function metaName(raw: string): Normalized {
  const value = raw.replace(PUNCTUATION_AND_SPACE, '').toLowerCase();
  if (value.length !== 0) return { ok: true, value };
  return { ok: false, reason: raw.trim().length === 0 ? 'empty value' : 'not a name: only punctuation' };
}

/**
 * Meta's `ct` rule (facebook/capi-param-builder, getNormalizedCity): everything but ASCII
 * letters and digits removed, lower-case, and the result must start with a letter. So
 * accented letters are dropped (São Paulo → sopaulo) and digits kept.
 *
 * @example
 * ```ts
 * metaCity('New York'); // { ok: true, value: 'newyork' }
 * metaCity('75001'); // { ok: false, reason: 'not a city Meta accepts: it must start with a letter a-z' }
 * ```
 */
export function metaCity(raw: string): Normalized {
  const value = raw.replace(NOT_ASCII_ALPHANUMERIC, '').toLowerCase();
  if (value.length === 0) return { ok: false, reason: raw.trim().length === 0 ? 'empty value' : 'not a city: no letter a-z or digit' };
  const first = value.charCodeAt(0);
  if (first >= 97 && first <= 122) return { ok: true, value };
  return { ok: false, reason: 'not a city Meta accepts: it must start with a letter a-z' };
}

/**
 * Meta's `external_id` rule (facebook/capi-param-builder, getNormalizedExternalID):
 * lower-case, every whitespace character removed. Unlike our `default` rule, case is not
 * kept: AB-12 and ab-12 hash the same.
 *
 * @example
 * ```ts
 * metaExternalId(' CRM 00042 '); // { ok: true, value: 'crm00042' }
 * ```
 */
export function metaExternalId(raw: string): Normalized {
  const value = raw.replace(WHITESPACE, '').toLowerCase();
  return value.length !== 0 ? { ok: true, value } : { ok: false, reason: 'empty value' };
}
