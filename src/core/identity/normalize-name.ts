import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { keepLetters } from './keep-letters.js';

/** Options of {@link normalizeName}. */
export interface NormalizeNameOptions {
  /**
   * Which name this is. A first name loses a leading title ("Mrs. Jane" → jane), a last
   * name a trailing generational or academic suffix ("Smith Jr." → smith) — only when
   * another word remains. Default 'first'.
   */
  part?: 'first' | 'last';
  /** Strip Latin diacritics (José → jose). Default false: accents are kept. */
  foldAccents?: boolean;
  /** 'remove' drops whitespace (Mary Ann → maryann); 'single' keeps one space. Default 'remove'. */
  spaces?: 'remove' | 'single';
}

const TITLES: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'rev', 'sir', 'dame', 'herr', 'frau', 'mme', 'mlle',
]);
const SUFFIXES: ReadonlySet<string> = new Set([
  'jr', 'jnr', 'sr', 'snr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq',
]);
/** Word separators for finding a title or suffix: whitespace, commas and dots. */
const WORD_BREAKS = /[\s,.]+/;
const HAS_WORD_BREAK = /[\s,]|\.(?=.)/;

/**
 * Normalise a first or last name: NFC, lower-case, drop a title or suffix, keep only
 * letters (of every script; accents kept unless `foldAccents`).
 *
 * @example
 * ```ts
 * normalizeName('  Mary-Ann ');                           // { ok: true, value: 'maryann' }
 * normalizeName('Valéry');                                // { ok: true, value: 'valéry' }
 * normalizeName('Valéry', { foldAccents: true });         // { ok: true, value: 'valery' }
 * normalizeName("O'Brien Jr.", { part: 'last' });         // { ok: true, value: 'obrien' }
 * normalizeName('123');                                   // { ok: false, reason: 'not a name: no letters' }
 * ```
 */
export function normalizeName(raw: string, options: NormalizeNameOptions = {}): Normalized {
  const { part = 'first', foldAccents = false, spaces = 'remove' } = options;
  let text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  text = text.toLowerCase();
  if (HAS_WORD_BREAK.test(text)) text = dropTitleOrSuffix(text, part);
  const value = keepLetters(text, { foldAccents, spaces });
  if (value.length === 0) return { ok: false, reason: 'not a name: no letters' };
  return { ok: true, value };
}

function dropTitleOrSuffix(text: string, part: 'first' | 'last'): string {
  const words = text.split(WORD_BREAKS).filter((w) => w.length > 0);
  if (part === 'first') {
    while (words.length > 1 && TITLES.has(words[0] ?? '')) words.shift();
  } else {
    while (words.length > 1 && SUFFIXES.has(words[words.length - 1] ?? '')) words.pop();
  }
  // Dots and commas were only word breaks; rejoining with spaces lets 'spaces' decide.
  return words.join(' ');
}
