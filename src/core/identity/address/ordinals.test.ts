import { describe, expect, it } from 'vitest';
import { readOrdinal, withOrdinalSuffix } from './ordinals.js';

describe('withOrdinalSuffix', () => {
  it('writes st, nd, rd and th, with the teens as th', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(withOrdinalSuffix)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '112th']);
  });
});

describe('readOrdinal', () => {
  it('reads spelled ordinals from first to nine hundred ninety-ninth', () => {
    expect(readOrdinal(['first'], 0)).toEqual({ text: '1st', length: 1 });
    expect(readOrdinal(['twelfth'], 0)).toEqual({ text: '12th', length: 1 });
    expect(readOrdinal(['twentieth'], 0)).toEqual({ text: '20th', length: 1 });
    expect(readOrdinal(['twenty', 'third', 'st'], 0)).toEqual({ text: '23rd', length: 2 });
    expect(readOrdinal(['one', 'hundredth'], 0)).toEqual({ text: '100th', length: 2 });
    expect(readOrdinal(['one', 'hundred', 'and', 'first'], 0)).toEqual({ text: '101st', length: 4 });
    expect(readOrdinal(['nine', 'hundred', 'ninety', 'ninth'], 0)).toEqual({ text: '999th', length: 4 });
  });

  it('fixes the suffix of a numeric ordinal', () => {
    expect(readOrdinal(['2d'], 0)?.text).toBe('2nd');
    expect(readOrdinal(['23th'], 0)?.text).toBe('23rd');
    expect(readOrdinal(['11st'], 0)?.text).toBe('11th');
  });

  it('reads no cardinal and no other word as an ordinal', () => {
    expect(readOrdinal(['twenty'], 0)).toBeUndefined();
    expect(readOrdinal(['one', 'hundred'], 0)).toBeUndefined();
    expect(readOrdinal(['main'], 0)).toBeUndefined();
    expect(readOrdinal(['123'], 0)).toBeUndefined();
    expect(readOrdinal([], 0)).toBeUndefined();
  });
});
