import type { Normalized } from '../../identifier-kind.js';

/**
 * The words Meta reads as a gender (facebook/capi-param-builder, genderUtil: MALE_SET and
 * FEMALE_SET), English only; the whole value must be one of them.
 */
const MALE = new Set(['m', 'man', 'male', 'boy', 'gentleman', 'guy', 'sir', 'mister', 'mr', 'son', 'father', 'dad', 'daddy', 'papa', 'uncle', 'nephew', 'brother', 'husband', 'boyfriend', 'groom', 'widower', 'king', 'prince', 'duke', 'count', 'emperor', 'god', 'lord', 'lad', 'fellow', 'chap', 'bloke', 'dude', 'he', 'him', 'his', 'himself']);
const FEMALE = new Set(['f', 'woman', 'female', 'girl', 'lady', 'miss', 'ms', 'mrs', 'madam', "ma'am", 'daughter', 'mother', 'mom', 'mama', 'mommy', 'aunt', 'niece', 'sister', 'wife', 'girlfriend', 'bride', 'widow', 'queen', 'princess', 'duchess', 'countess', 'empress', 'goddess', 'maiden', 'lass', 'gal', 'chick', 'dame', 'belle', 'she', 'her', 'hers', 'herself']);

/**
 * Meta's `ge` rule: lower-case, trimmed, then `m` or `f` when the value is one of Meta's
 * words for it (male, man, mr, he, husband, …; female, woman, mrs, she, wife, …).
 *
 * @example
 * ```ts
 * metaGender(' Female '); // { ok: true, value: 'f' }
 * metaGender('Mr'); // { ok: true, value: 'm' }
 * ```
 */
export function metaGender(raw: string): Normalized {
  const word = raw.toLowerCase().trim();
  if (MALE.has(word)) return { ok: true, value: 'm' };
  if (FEMALE.has(word)) return { ok: true, value: 'f' };
  return { ok: false, reason: word.length === 0 ? 'empty value' : 'not a gender Meta reads: it takes f or m, or a word such as female, male, woman, man' };
}
