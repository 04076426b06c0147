import { describe, expect, it } from 'vitest';
import { headerLooksLikeData, readHeader } from './read-header.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('readHeader', () => {
  it('reads the header and where data starts', () => {
    const h = readHeader(enc('email,phone\nx,y\n'), { atEnd: true });
    expect(h).toEqual({ header: ['email', 'phone'], delimiter: ',', dataOffset: 12, dataLine: 2 });
  });

  it('skips a UTF-8 byte order mark and leading blank lines', () => {
    const h = readHeader(enc('\uFEFF\n\nemail\nx\n'), { atEnd: true });
    expect(h?.header).toEqual(['email']);
    expect(h?.dataLine).toBe(4);
    expect(h?.dataOffset).toBe(11);
  });

  it('sniffs semicolon, tab and pipe delimiters', () => {
    expect(readHeader(enc('email;phone;"a,b"\n'), { atEnd: true })?.delimiter).toBe(';');
    expect(readHeader(enc('email\tphone\n'), { atEnd: true })?.delimiter).toBe('\t');
    expect(readHeader(enc('email|phone\n'), { atEnd: true })?.delimiter).toBe('|');
  });

  it('waits for more bytes when the header record is incomplete', () => {
    expect(readHeader(enc('email,"multi\nline'), { atEnd: false })).toBeUndefined();
  });

  it('fails on an empty file', () => {
    expect(() => readHeader(enc(''), { atEnd: true, file: 'e.csv' })).toThrow('Cannot read e.csv as CSV: the file is empty');
    expect(() => readHeader(enc('\n\r\n'), { atEnd: true, file: 'e.csv' })).toThrow(/empty/);
  });

  it('names the line and column of an unterminated quote in the header', () => {
    expect(() => readHeader(enc('email,"phone\n'), { atEnd: true, file: 'h.csv' })).toThrow(/h.csv: line 1, column 7: unterminated quote/);
  });
});

describe('headerLooksLikeData', () => {
  it('spots a data row used as header', () => {
    expect(headerLooksLikeData(['C001', 'john@example.com'])).toBe('field 2 "john@example.com" looks like an email address');
    expect(headerLooksLikeData(['(650) 555-1212'])).toMatch(/phone number/);
  });

  it('accepts ordinary column names', () => {
    expect(headerLooksLikeData(['Customer', 'Mail', 'Notes'])).toBeUndefined();
  });
});
