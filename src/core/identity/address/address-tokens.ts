import { isAscii } from '../clean-text.js';
import { foldLatinAccents } from '../keep-letters.js';

/** Apostrophes vanish ("O'Connor" is one word); every other mark but '#', '/' and '-' separates words. */
const APOSTROPHES = /['’`´]/g;
const SEPARATORS = /[^a-z0-9#/\-]+/g;
const DIGITS_HYPHENATED = /^\d+(?:-\d+)+$/;

/**
 * Split a street line into lower-case words of a–z and digits, Latin accents folded
 * (Calle José → calle jose, Straße → strasse; other scripts are dropped): periods, commas
 * and other punctuation separate words ("N." is "n"), '#' stands alone ("#4B" is "#",
 * "4b"), a hyphen between digits stays (the Queens house number 12-34), a hyphen between
 * words separates them ("Twenty-Third" is "twenty", "third"), and any other hyphen goes
 * ("4-B" is "4b").
 *
 * @example
 * ```ts
 * addressTokens('123 N. Main St., Apt. #4-B'); // ['123', 'n', 'main', 'st', 'apt', '#', '4b']
 * ```
 */
export function addressTokens(text: string): string[] {
  const lower = text.toLowerCase();
  const folded = (isAscii(lower) ? lower : foldLatinAccents(lower)).replace(APOSTROPHES, '');
  const words = folded.replace(/#/g, ' # ').replace(SEPARATORS, ' ').split(' ');
  const tokens: string[] = [];
  for (const word of words) {
    if (word === '' || /^[-/]+$/.test(word)) continue;
    if (!word.includes('-') || DIGITS_HYPHENATED.test(word)) tokens.push(word);
    else if (/[a-z]{2}-|-[a-z]{2}/.test(word)) tokens.push(...word.split('-').filter((w) => w !== ''));
    else tokens.push(word.replace(/-/g, ''));
  }
  return tokens;
}
