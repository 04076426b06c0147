import type { Normalized } from '../../identifier-kind.js';
import { META_COUNTRY_NAMES, META_STATE_NAMES } from './meta-region-names.js';

const NOT_A_TO_Z = /[^a-z]+/g;
const NOT_ASCII_ALPHANUMERIC = /[^a-zA-Z0-9]+/g;

const STATES = new Map(META_STATE_NAMES);
const COUNTRIES = new Map(META_COUNTRY_NAMES);

/**
 * Meta's `st` rule (facebook/capi-param-builder, getNormalizedState): the value's letters
 * a-z, lower-case; a two-letter value is a code as it is; a US state or Canadian province
 * name (or a value containing one, first match in Meta's order) becomes its code;
 * anything else keeps its first two letters. One letter stays one letter.
 *
 * @example
 * ```ts
 * metaState('California'); // { ok: true, value: 'ca' }
 * metaState('Bayern'); // { ok: true, value: 'ba' }
 * ```
 */
export function metaState(raw: string): Normalized {
  return twoLetters(raw, STATES, META_STATE_NAMES, 'state');
}

/**
 * Meta's `country` rule (getNormalizedCountry): as {@link metaState}, over Meta's country
 * names (United States, USA → us; a three-letter code is not read: 'deu' → 'de', 'gbr' → 'gb' by its first two letters).
 *
 * @example
 * ```ts
 * metaCountry('United Kingdom'); // { ok: true, value: 'gb' }
 * ```
 */
export function metaCountry(raw: string): Normalized {
  return twoLetters(raw, COUNTRIES, META_COUNTRY_NAMES, 'country');
}

function twoLetters(raw: string, names: ReadonlyMap<string, string>, ordered: readonly (readonly [string, string])[], what: string): Normalized {
  const letters = raw.toLowerCase().trim().replace(NOT_A_TO_Z, '');
  let mapped = letters.length === 2 ? letters : names.get(letters);
  if (mapped === undefined) mapped = ordered.find(([name]) => letters.includes(name))?.[1] ?? letters;
  // Meta then strips, lower-cases and cuts again, and wants a letter first: a no-op on
  // what is left here (letters a-z only), kept as one step.
  const value = Array.from(mapped.slice(0, 2).replace(NOT_ASCII_ALPHANUMERIC, '').toLowerCase()).slice(0, 2).join('');
  if (value.length !== 0) return { ok: true, value };
  return { ok: false, reason: raw.trim().length === 0 ? 'empty value' : `not a ${what}: no letter a-z` };
}
