import { cleanText } from './clean-text.js';
import type { Normalized } from './identifier-kind.js';
import { keepLetters } from './keep-letters.js';

/**
 * Words for female and male in English, French, Spanish, Portuguese, German, Italian and
 * Dutch, compared after lower-casing, folding accents and dropping non-letters.
 */
const FEMALE = [
  'f', 'female', 'woman', 'women', 'girl', 'femme', 'feminin', 'femenino', 'mujer',
  'feminino', 'mulher', 'weiblich', 'frau', 'femmina', 'donna', 'vrouw', 'vrouwelijk',
];
const MALE = [
  'm', 'male', 'man', 'men', 'boy', 'homme', 'masculin', 'masculino', 'hombre', 'varon',
  'homem', 'mannlich', 'maennlich', 'mann', 'maschio', 'uomo', 'mannelijk',
];
const BY_KEY: ReadonlyMap<string, 'f' | 'm'> = new Map([
  ...FEMALE.map((word) => [word, 'f'] as const),
  ...MALE.map((word) => [word, 'm'] as const),
]);

/**
 * Normalise a gender to 'f' or 'm', the only two values the partners' rules define.
 * Any other value (non-binary, unknown, prefer not to say) is invalid, so that it is left
 * out of matching rather than guessed.
 *
 * @example
 * ```ts
 * normalizeGender(' Female ');  // { ok: true, value: 'f' }
 * normalizeGender('Männlich');  // { ok: true, value: 'm' }
 * normalizeGender('unknown');   // { ok: false, reason: "not a gender we can match: only female and male map to 'f' and 'm'" }
 * ```
 */
export function normalizeGender(raw: string): Normalized {
  const text = cleanText(raw);
  if (text.length === 0) return { ok: false, reason: 'empty value' };
  const value = BY_KEY.get(keepLetters(text.toLowerCase(), { foldAccents: true }));
  if (value !== undefined) return { ok: true, value };
  return { ok: false, reason: "not a gender we can match: only female and male map to 'f' and 'm'" };
}
