import { DIRECTIONALS } from './directionals.js';
import { readOrdinal } from './ordinals.js';
import { SUFFIX_LOOKUP } from './usps-suffixes.js';

const ROUTE_NUMBER = /^\d+[a-z]?$/;

/**
 * Write the street part of a street line (the words between the house number and the
 * units) by Pub. 28: pre-directional, street name, suffix, post-directional. Directionals
 * are abbreviated (§233: North → n, North West → nw) except when one is the whole street
 * name ("North St" stays "north st", unlike "N St"); the last word, when it is a suffix
 * of Appendix C1, becomes its standard abbreviation (Street, Str., St → st), and so does
 * a suffix followed only by a route number ("County Road 12" → "county rd 12");
 * spelled-out ordinals in the name become numerals (Twenty Third → 23rd). Other words
 * are kept: a suffix word inside a name is not a suffix ("Spring Garden St").
 *
 * @example
 * ```ts
 * readStreet(['north', 'twenty', 'third', 'street']); // ['n', '23rd', 'st']
 * readStreet(['main', 'st', 'north']);                // ['main', 'st', 'n']
 * ```
 */
export function readStreet(words: readonly string[]): string[] {
  let rest = [...words];
  const post = directionalAt(rest, 'end');
  if (post !== undefined && rest.length > post.length && !DIRECTIONALS.has(rest[rest.length - post.length - 1]!)) {
    rest = rest.slice(0, rest.length - post.length);
  }
  const postText = rest.length < words.length ? post?.text : undefined;

  const pre = directionalAt(rest, 'start');
  let preText: string | undefined;
  if (pre !== undefined) {
    const after = rest.slice(pre.length);
    // A directional followed only by a suffix is the street's name: "North St".
    if (after.length >= 2 || (after.length === 1 && !SUFFIX_LOOKUP.has(after[0]!))) {
      preText = pre.text;
      rest = after;
    }
  }
  const name = withSuffix(rest);
  const out: string[] = [];
  if (preText !== undefined) out.push(preText);
  for (let i = 0; i < name.length; ) {
    const ordinal = readOrdinal(name, i);
    if (ordinal !== undefined) {
      out.push(ordinal.text);
      i += ordinal.length;
    } else out.push(name[i++]!);
  }
  if (postText !== undefined) out.push(postText);
  return out;
}

function withSuffix(name: string[]): string[] {
  const last = name.length - 1;
  if (name.length >= 2) {
    const suffix = SUFFIX_LOOKUP.get(name[last]!);
    if (suffix !== undefined) return [...name.slice(0, last), suffix];
  }
  if (name.length >= 2 && ROUTE_NUMBER.test(name[last]!)) {
    const suffix = SUFFIX_LOOKUP.get(name[last - 1]!);
    if (suffix !== undefined) return [...name.slice(0, last - 1), suffix, name[last]!];
  }
  return name;
}

/** A directional of one word ("north", "nw") or two ("north west", "n w"), at either end. */
function directionalAt(words: readonly string[], end: 'start' | 'end'): { text: string; length: number } | undefined {
  const at = (i: number): string | undefined => (end === 'start' ? words[i] : words[words.length - 1 - i]);
  const [a, b] = end === 'start' ? [at(0), at(1)] : [at(1), at(0)];
  const twoWords = (a === 'north' || a === 'south') && (b === 'east' || b === 'west');
  // "N.W." reaches here as the two words "n" and "w".
  const twoLetters = (a === 'n' || a === 's') && (b === 'e' || b === 'w');
  if (twoWords || twoLetters) return { text: DIRECTIONALS.get(a + b)!, length: 2 };
  const one = at(0);
  const text = one === undefined ? undefined : DIRECTIONALS.get(one);
  return text === undefined ? undefined : { text, length: 1 };
}
