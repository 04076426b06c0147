import { POUND_SIGN_UNIT, UNIT_LOOKUP } from './usps-units.js';

/**
 * Split the words after the house number into the street and the secondary units
 * (Pub. 28 Appendix C2), each unit written as its standard designator and its number:
 * "Apartment 4B", "Apt. 4b" and "#4B" all give "apt 4b", "Suite 200" gives "ste 200",
 * "Penthouse" gives "ph". A designator word starts the units only when a number follows
 * it (or, for the designators C2 lets stand alone, when nothing or another unit does):
 * "123 Front St" is a street named Front, "123 Main St Front" is the front unit.
 *
 * @example
 * ```ts
 * readUnits(['main', 'st', 'apartment', '4b']); // { street: ['main', 'st'], units: ['apt', '4b'] }
 * readUnits(['front', 'st']);                   // { street: ['front', 'st'], units: [] }
 * ```
 */
export function readUnits(words: readonly string[]): { street: string[]; units: string[] } {
  const start = words.findIndex((_, i) => startsUnit(words, i));
  if (start === -1) return { street: [...words], units: [] };
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
