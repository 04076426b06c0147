import { describe, expect, it } from 'vitest';
import { normalizeName } from './normalize-name.js';

describe('normalizeName', () => {
  it('trims and lower-cases', () => {
    expect(normalizeName('  Mary ')).toEqual({ ok: true, value: 'mary' });
  });

  it('removes punctuation and spaces by default', () => {
    expect(normalizeName("Mary-Ann O'Neil")).toEqual({ ok: true, value: 'maryannoneil' });
  });

  it('keeps one space between words when asked', () => {
    expect(normalizeName('  Mary   Ann ', { spaces: 'single' })).toEqual({ ok: true, value: 'mary ann' });
  });

  it('keeps accents and non-Latin letters unless folding', () => {
    expect(normalizeName('Valéry')).toEqual({ ok: true, value: 'valéry' });
    expect(normalizeName('정')).toEqual({ ok: true, value: '정' });
    expect(normalizeName('Valéry', { foldAccents: true })).toEqual({ ok: true, value: 'valery' });
  });

  it('treats decomposed and composed accents alike', () => {
    expect(normalizeName('Vale\u0301ry')).toEqual(normalizeName('Val\u00e9ry'));
  });

  it('ignores NBSP and zero-width characters', () => {
    expect(normalizeName('\u00a0Jo\u200bhn\u200d ')).toEqual({ ok: true, value: 'john' });
  });

  it('drops a leading title from a first name', () => {
    expect(normalizeName('Mrs. Jane')).toEqual({ ok: true, value: 'jane' });
    expect(normalizeName('Dr.Mary Ann', { spaces: 'single' })).toEqual({ ok: true, value: 'mary ann' });
  });

  it('drops a trailing suffix from a last name', () => {
    expect(normalizeName('Smith, Jr.', { part: 'last' })).toEqual({ ok: true, value: 'smith' });
    expect(normalizeName('King III', { part: 'last' })).toEqual({ ok: true, value: 'king' });
  });

  it('keeps a title or suffix that is the whole name', () => {
    expect(normalizeName('Miss')).toEqual({ ok: true, value: 'miss' });
    expect(normalizeName('Jr', { part: 'last' })).toEqual({ ok: true, value: 'jr' });
  });

  it('does not drop suffixes from first names or titles from last names', () => {
    expect(normalizeName('Mr Smith', { part: 'last' })).toEqual({ ok: true, value: 'mrsmith' });
  });

  it('rejects empty values and values without letters', () => {
    expect(normalizeName('')).toEqual({ ok: false, reason: 'empty value' });
    expect(normalizeName('\u200b \u00a0')).toEqual({ ok: false, reason: 'empty value' });
    expect(normalizeName('123 -')).toEqual({ ok: false, reason: 'not a name: no letters' });
  });
});
