import { SUFFIX_LOOKUP } from './usps-suffixes.js';
import { POUND_SIGN_UNIT, UNIT_LOOKUP } from './usps-units.js';

/** Suffixes of numbered roads: a number after them is the road's (County Rd 12), not a unit. */
const ROUTE_SUFFIXES: ReadonlySet<string> = new Set(['hwy', 'rd', 'rte', 'fwy', 'expy', 'tpke', 'pkwy', 'byp', 'skwy', 'trfy', 'trwy', 'mtwy', 'spur', 'loop', 'row', 'run']);

/**
 * Split the words after the house number into the street and the secondary units
 * (Pub. 28 Appendix C2), each unit written as its standard designator and its number:
 * "Apartment 4B", "Apt. 4b" and "#4B" all give "apt 4b", "Suite 200" gives "ste 200",
 * "Penthouse" gives "ph". A designator word starts the units only when a number follows
 * it (or, for the designators C2 lets stand alone, when nothing or another unit does):
 * "123 Front St" is a street named Front, "123 Main St Front" is the front unit. A number
 * with no designator after a street's suffix is read as '#' ("123 Main St 4B" is apt 4b),
 * except after the suffix of a numbered road ("County Road 12").
 *
 * @example
 * ```ts
 * readUnits(['main', 'st', 'apartment', '4b']); // { street: ['main', 'st'], units: ['apt', '4b'] }
 * readUnits(['front', 'st']);                   // { street: ['front', 'st'], units: [] }
 * ```
 */
export function readUnits(words: readonly string[]): { street: string[]; units: string[] } {
  const start = words.findIndex((_, i) => startsUnit(words, i));
  if (start === -1) return bareUnit(words) ?? { street: [...words], units: [] };
  const units: string[] = [];
  let i = start;
  while (i < words.length) {
    const word = words[i]!;
    const designator = word === '#' ? { standard: POUND_SIGN_UNIT, needsNumber: true } : UNIT_LOOKUP.get(word);
    if (designator === undefined) {
      units.push(word);
      i++;
      continue;
    }
    units.push(designator.standard);
    i++;
    // "Apt #4B": the pound sign after a designator only announces the number.
    if (words[i] === '#') i++;
    const next = words[i];
    if (next !== undefined && next !== '#' && !UNIT_LOOKUP.has(next) && (designator.needsNumber || /\d/.test(next))) {
      units.push(next);
      i++;
    }
  }
  return { street: words.slice(0, start), units };
}

function startsUnit(words: readonly string[], i: number): boolean {
  const word = words[i]!;
  const next = words[i + 1];
  if (word === '#') return next !== undefined;
  const designator = UNIT_LOOKUP.get(word);
  if (designator === undefined) return false;
  if (next === undefined) return !designator.needsNumber;
  if (next === '#' || UNIT_LOOKUP.has(next)) return true;
  return designator.needsNumber ? /\d/.test(next) || /^[a-z]$/.test(next) : /\d/.test(next);
}

function bareUnit(words: readonly string[]): { street: string[]; units: string[] } | undefined {
  const last = words[words.length - 1];
  const suffix = SUFFIX_LOOKUP.get(words[words.length - 2] ?? '');
  if (words.length < 3 || last === undefined || !/\d/.test(last) || suffix === undefined || ROUTE_SUFFIXES.has(suffix)) return undefined;
  return { street: words.slice(0, -1), units: [POUND_SIGN_UNIT, last] };
}
