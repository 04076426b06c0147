import { describe, expect, it } from 'vitest';
import { normalizeGender } from './normalize-gender.js';

describe('normalizeGender', () => {
  it.each([
    ['f', 'f'], ['F', 'f'], [' Female ', 'f'], ['WOMAN', 'f'], ['Femme', 'f'], ['féminin', 'f'],
    ['mujer', 'f'], ['Feminino', 'f'], ['weiblich', 'f'], ['donna', 'f'], ['vrouw', 'f'],
    ['m', 'm'], ['M.', 'm'], ['Male', 'm'], ['man', 'm'], ['Homme', 'm'], ['hombre', 'm'],
    ['Varón', 'm'], ['Masculino', 'm'], ['Männlich', 'm'], ['uomo', 'm'], ['mannelijk', 'm'],
  ])('maps %j to %s', (raw, value) => {
    expect(normalizeGender(raw)).toEqual({ ok: true, value });
  });

  it.each(['x', 'non-binary', 'unknown', 'u', 'other'])('rejects %j rather than guess', (raw) => {
    expect(normalizeGender(raw)).toEqual({
      ok: false,
      reason: "not a gender we can match: only female and male map to 'f' and 'm'",
    });
  });

  it('rejects empty values', () => {
    expect(normalizeGender('\u200b')).toEqual({ ok: false, reason: 'empty value' });
  });
});
