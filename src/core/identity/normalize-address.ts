import { addressTokens } from './address/address-tokens.js';
import { readStreet } from './address/read-street.js';
import { readUnits } from './address/read-units.js';
import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { normalizeState } from './normalize-state.js';

/** A house number: digits with an optional letter or hyphenated digits (12-34), or a Wisconsin-style grid number (N123W4567). */
const HOUSE_NUMBER = /^(?:\d+[a-z]?|\d+(?:-\d+)+|[nsew]\d+[nsew]\d+)$/;
const FRACTION = /^\d+\/\d+$/;
const ZIP = /^\d{5}(?:-\d{4})?$/;
const MAX_LENGTH = 200;
const PO_BOX = /^(?:(?:p o |po |post office )?box|pobox|pob|p o b)\b/;
const RURAL_ROUTE = /^(?:rr|rural route|rural rte|hc|highway contract|star route) ?\d/;

/**
 * Normalise a US street line (house number, street, units) by USPS Publication 28 into
 * lower-case words with one space between them:
 * `<house number> [<pre-directional>] <street name> [<suffix>] [<post-directional>] [<unit designator> <unit number>]...`
 *
 * Directionals (§233) and suffixes (Appendix C1) take their standard abbreviation, unit
 * designators theirs (Appendix C2, a bare '#' being read as apt), spelled-out ordinals in
 * a street name become numerals (Twenty-Third → 23rd), punctuation goes and accents fold.
 * A PO box, a rural route box, a line without a house number (a city, a name) or with no
 * street, and a line that goes on to its state and ZIP code are refused with the reason.
 *
 * Written here rather than taken from npm: parse-address 1.1.2 (the best of the packages
 * tried against the Pub. 28 tables, see docs/identity.md) misreads suffix words inside a
 * name ("100 W Spring Garden St" gives street "W", type "Spg"), leaves unit designators
 * and ordinals as written, and addressit and addresser recognise neither most of
 * Appendix C1 nor directionals.
 *
 * @example
 * ```ts
 * normalizeAddress('123 North Main Street, Apartment 4B'); // { ok: true, value: '123 n main st apt 4b' }
 * normalizeAddress('123 n. main str. #4b');                // { ok: true, value: '123 n main st apt 4b' }
 * normalizeAddress('500 Twenty-Third Ave Suite 200');      // { ok: true, value: '500 23rd ave ste 200' }
 * normalizeAddress('PO Box 123');                          // { ok: false, reason: 'not a street address: a PO box, not a house number and street' }
 * ```
 */
export function normalizeAddress(raw: string): Normalized {
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  if (text.length > MAX_LENGTH) return { ok: false, reason: `not a street address: longer than ${MAX_LENGTH} characters` };
  const tokens = addressTokens(text);
  if (tokens.length === 0) return { ok: false, reason: 'not a street address: no letters or digits' };

  const refusal = refuse(tokens);
  if (refusal !== undefined) return { ok: false, reason: refusal };

  let rest = tokens.slice(1);
  let house = tokens[0]!;
  if (rest[0] !== undefined && FRACTION.test(rest[0])) {
    house = `${house} ${rest[0]}`;
    rest = rest.slice(1);
  }
  const { street, units } = readUnits(rest);
  if (street.length === 0) return { ok: false, reason: 'not a street address: a house number with no street name' };
  return { ok: true, value: [house, ...readStreet(street), ...units].join(' ') };
}

function refuse(tokens: readonly string[]): string | undefined {
  const head = tokens.slice(0, 4).join(' ');
  if (PO_BOX.test(head)) return 'not a street address: a PO box, not a house number and street';
  if (RURAL_ROUTE.test(head)) {
    return 'not a street address: a rural route or highway contract box, not a house number and street';
  }
  if (!HOUSE_NUMBER.test(tokens[0]!)) {
    if (!tokens.some((t) => /\d/.test(t))) return 'not a street address: no house number (a city or a name alone is not a street line)';
    return 'not a street address: it does not start with a house number';
  }
  const last = tokens[tokens.length - 1]!;
  const before = tokens[tokens.length - 2];
  if (tokens.length >= 4 && ZIP.test(last) && before !== undefined && before.length === 2 && normalizeState(before).ok) {
    return 'not only a street line: it ends with a state and ZIP code (give city, state and ZIP their own columns)';
  }
  return undefined;
}
