import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { keepLetters } from './keep-letters.js';

/** Options of {@link normalizeCity}. */
export interface NormalizeCityOptions {
  /** Strip Latin diacritics (São Paulo → saopaulo). Default false: accents are kept. */
  foldAccents?: boolean;
  /** 'remove' drops whitespace (New York → newyork); 'single' keeps one space. Default 'remove'. */
  spaces?: 'remove' | 'single';
}

/**
 * Normalise a city name: NFC, lower-case, keep only letters (of every script); digits,
 * punctuation and symbols are removed. Abbreviations are not expanded ("St. Louis" gives
 * stlouis, "Saint Louis" saintlouis).
 *
 * @example
 * ```ts
 * normalizeCity(' New York ');                                   // { ok: true, value: 'newyork' }
 * normalizeCity('São Paulo', { foldAccents: true });             // { ok: true, value: 'saopaulo' }
 * normalizeCity('Winston-Salem', { spaces: 'single' });          // { ok: true, value: 'winstonsalem' }
 * ```
 */
export function normalizeCity(raw: string, options: NormalizeCityOptions = {}): Normalized {
  const { foldAccents = false, spaces = 'remove' } = options;
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const value = keepLetters(text.toLowerCase(), { foldAccents, spaces });
  if (value.length === 0) return { ok: false, reason: 'not a city: no letters' };
  return { ok: true, value };
}
