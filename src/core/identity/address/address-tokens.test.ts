import { describe, expect, it } from 'vitest';
import { addressTokens } from './address-tokens.js';

describe('addressTokens', () => {
  it('lower-cases, drops punctuation and stands # alone', () => {
    expect(addressTokens('123 N. Main St., Apt. #4-B')).toEqual(['123', 'n', 'main', 'st', 'apt', '#', '4b']);
  });

  it('keeps a hyphen between digits, splits hyphenated words, drops other hyphens', () => {
    expect(addressTokens('12-34 Twenty-Third Ave Unit 5-C')).toEqual(['12-34', 'twenty', 'third', 'ave', 'unit', '5c']);
  });

  it('folds accents, removes apostrophes and keeps fractions', () => {
    expect(addressTokens("9 Calle José O'Brien 1/2")).toEqual(['9', 'calle', 'jose', 'obrien', '1/2']);
    expect(addressTokens('4 Große Straße')).toEqual(['4', 'grosse', 'strasse']);
  });

  it('gives no token for punctuation alone', () => {
    expect(addressTokens(' - / , . ')).toEqual([]);
  });
});
