import { describe, expect, it } from 'vitest';
import { coversMinimum, roundCount } from './guard-policy.js';

describe('coversMinimum', () => {
  const policy = { minPeople: 100, rounding: null };
  it('lets out exactly the minimum and more, never one fewer', () => {
    expect(coversMinimum(100, policy)).toBe(true);
    expect(coversMinimum(101, policy)).toBe(true);
    expect(coversMinimum(99, policy)).toBe(false);
  });
  it('treats a count that is not a number as not enough', () => {
    expect(coversMinimum(Number.NaN, policy)).toBe(false);
    expect(coversMinimum(Number.POSITIVE_INFINITY, policy)).toBe(false);
  });
});

describe('roundCount', () => {
  it('rounds down to the range width, or leaves the count as it is', () => {
    expect(roundCount(1299, { minPeople: 1, rounding: { to: 100 } })).toBe(1200);
    expect(roundCount(1299, { minPeople: 1, rounding: null })).toBe(1299);
  });
});
