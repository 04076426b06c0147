import { describe, expect, it } from 'vitest';
import { keepLetters } from './keep-letters.js';

describe('keepLetters', () => {
  it('removes punctuation, digits and spaces by default', () => {
    expect(keepLetters("o'brien-smith 3rd")).toBe('obriensmithrd');
  });

  it('keeps one space between words when asked', () => {
    expect(keepLetters('  mary   ann-lee ', { spaces: 'single' })).toBe('mary annlee');
  });

  it('keeps letters of every script and their accents', () => {
    expect(keepLetters('valéry')).toBe('valéry');
    expect(keepLetters('정')).toBe('정');
    expect(keepLetters('иван-петров')).toBe('иванпетров');
  });

  it('folds Latin accents and special letters when asked', () => {
    expect(keepLetters('josé straße øre łódź', { foldAccents: true, spaces: 'single' })).toBe('jose strasse ore lodz');
  });

  it('leaves non-Latin scripts intact when folding accents', () => {
    expect(keepLetters('정민', { foldAccents: true })).toBe('정민');
  });

  it('keeps digits when asked', () => {
    expect(keepLetters('29 palms', { keepDigits: true })).toBe('29palms');
  });
});
