import { isAscii } from './clean-text.js';

/** Options of {@link keepLetters}. */
export interface KeepLettersOptions {
  /** Strip Latin diacritics (é → e, ß → ss, ø → o). Default false: accents are kept. */
  foldAccents?: boolean;
  /** Keep digits as well as letters. Default false. */
  keepDigits?: boolean;
  /** 'remove' drops all whitespace; 'single' keeps one space between words. Default 'remove'. */
  spaces?: 'remove' | 'single';
}

const NOT_ASCII_LETTER = /[^a-z]/;
const NOT_ASCII_LETTER_ALL = /[^a-z]+/g;
const NOT_ASCII_ALNUM_ALL = /[^a-z0-9]+/g;
const NOT_ASCII_LETTER_OR_SPACE_ALL = /[^a-z\s]+/g;
const NOT_ASCII_ALNUM_OR_SPACE_ALL = /[^a-z0-9\s]+/g;
const NOT_LETTER_ALL = /[^\p{L}\p{M}]+/gu;
const NOT_ALNUM_ALL = /[^\p{L}\p{M}\p{Nd}]+/gu;
const NOT_LETTER_OR_SPACE_ALL = /[^\p{L}\p{M}\s]+/gu;
const NOT_ALNUM_OR_SPACE_ALL = /[^\p{L}\p{M}\p{Nd}\s]+/gu;
const WHITESPACE_RUNS = /\s+/g;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
/** Latin letters that carry no combining mark under NFD but are written without one elsewhere. */
const LATIN_SPECIALS = /[ßæœøłđðþı]/g;
const LATIN_SPECIAL_FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Keep only the letters (and optionally digits) of an already lower-cased, NFC string: the
 * shared core of the name, city, state, country and gender normalisers. Letters of every
 * script are kept; punctuation, symbols and (by default) whitespace are removed.
 *
 * @example
 * ```ts
 * keepLetters("o'brien-smith"); // 'obriensmith'
 * keepLetters('josé maría', { foldAccents: true, spaces: 'single' }); // 'jose maria'
 * ```
 */
export function keepLetters(lower: string, options: KeepLettersOptions = {}): string {
  const { foldAccents = false, keepDigits = false, spaces = 'remove' } = options;
  let text = lower;
  const ascii = isAscii(text);
  if (ascii) {
    if (!keepDigits && spaces === 'remove' && !NOT_ASCII_LETTER.test(text)) return text;
  } else if (foldAccents) {
    text = foldLatinAccents(text);
  }
  const plain = ascii || isAscii(text);
  if (spaces === 'remove') {
    const pattern = plain
      ? keepDigits
        ? NOT_ASCII_ALNUM_ALL
        : NOT_ASCII_LETTER_ALL
      : keepDigits
        ? NOT_ALNUM_ALL
        : NOT_LETTER_ALL;
    return text.replace(pattern, '');
  }
  const pattern = plain
    ? keepDigits
      ? NOT_ASCII_ALNUM_OR_SPACE_ALL
      : NOT_ASCII_LETTER_OR_SPACE_ALL
    : keepDigits
      ? NOT_ALNUM_OR_SPACE_ALL
      : NOT_LETTER_OR_SPACE_ALL;
  return text.replace(pattern, '').replace(WHITESPACE_RUNS, ' ').trim();
}

/**
 * Fold the accents of Latin letters in a lower-cased string (é → e, ß → ss, ø → o), other
 * scripts untouched; the result is NFC. keepLetters' `foldAccents`, and the street-line tokens.
 *
 * @example
 * ```ts
 * foldLatinAccents('josé straße'); // 'jose strasse'
 * ```
 */
export function foldLatinAccents(lower: string): string {
  return lower
    .normalize('NFD')
    .replace(COMBINING_DIACRITICS, '')
    .replace(LATIN_SPECIALS, (c) => LATIN_SPECIAL_FOLD[c] ?? c)
    .normalize('NFC');
}
