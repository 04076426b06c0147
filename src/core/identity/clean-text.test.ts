import { describe, expect, it } from 'vitest';
import { cleanText, isAscii } from './clean-text.js';

describe('cleanText', () => {
  it('trims spaces, tabs and newlines at both ends of ASCII text', () => {
    expect(cleanText(' \tJohn Smith \n')).toBe('John Smith');
  });

  it('trims NBSP and other Unicode spaces', () => {
    expect(cleanText('\u00a0\u2007John\u3000')).toBe('John');
  });

  it('composes decomposed accents to NFC', () => {
    expect(cleanText('Jose\u0301')).toBe('Jos\u00e9');
  });

  it('removes zero-width characters, soft hyphens, bidi marks and the BOM', () => {
    expect(cleanText('\ufeffJo\u200bhn\u00ad\u200e')).toBe('John');
  });

  it('composes a letter and its accent once the zero-width joiner between them is gone', () => {
    expect(cleanText('e\u200d\u0301')).toBe('\u00e9');
  });

  it('removes control characters but keeps inner spaces', () => {
    expect(cleanText('a\u0000b c\u0007')).toBe('ab c');
  });

  it('returns an empty string for whitespace only', () => {
    expect(cleanText(' \u00a0\u200b ')).toBe('');
  });
});

describe('isAscii', () => {
  it('tells plain ASCII from text with other characters', () => {
    expect(isAscii('Smith')).toBe(true);
    expect(isAscii('Müller')).toBe(false);
  });
});
