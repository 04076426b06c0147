import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { clampToRange, countSensitivity, sumSensitivity } from './contribution-bounds.js';
import { rational } from './rational.js';

describe('clampToRange', () => {
  it('clamps to the declared bounds and keeps values inside them', () => {
    expect(clampToRange(1200, { min: 0, max: 500 })).toBe(500);
    expect(clampToRange(-3, { min: 0, max: 500 })).toBe(0);
    expect(clampToRange(12.5, { min: 0, max: 500 })).toBe(12.5);
    expect(clampToRange(-7, { min: '-2.5', max: 2 })).toBe(-2.5);
    expect(clampToRange(9, { min: rational(0n), max: rational(7n, 2n) })).toBe(3.5);
  });

  it('refuses NaN and an inverted range', () => {
    expect(() => clampToRange(Number.NaN, { min: 0, max: 1 })).toThrow(CleanRoomError);
    expect(() => clampToRange(1, { min: 5, max: 1 })).toThrow(/\[5, 1\]: min is above max/);
  });
});

describe('sensitivity from the bounds', () => {
  it('counts: one person changes k groups by at most m rows each', () => {
    expect(countSensitivity({ maxGroupsPerPerson: 4, maxRowsPerGroup: 2 })).toEqual({
      l1: rational(8n),
      l2Squared: rational(16n),
      perGroup: rational(2n),
    });
    expect(countSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }).l1).toEqual(rational(1n));
  });

  it('sums: each row moves a sum by at most max(|min|, |max|)', () => {
    expect(sumSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 3 }, { min: 0, max: 500 }).l1).toEqual(rational(1500n));
    const refunds = sumSensitivity({ maxGroupsPerPerson: 2, maxRowsPerGroup: 1 }, { min: -800, max: 500 });
    expect(refunds).toEqual({ l1: rational(1600n), l2Squared: rational(2n * 800n * 800n), perGroup: rational(800n) });
    expect(sumSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1 }, { min: 0, max: 0.5 }).l1).toEqual(rational(1n, 2n));
    // A cap on each person's total bounds a group by the smaller of m·B and the cap.
    expect(sumSensitivity({ maxGroupsPerPerson: 2, maxRowsPerGroup: 3 }, { min: 0, max: 500 }, { personTotal: { min: 0, max: 800 } })).toMatchObject({ l1: rational(1600n), perGroup: rational(800n) });
    expect(sumSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 3 }, { min: 0, max: 500 }, { personTotal: { min: -2000, max: 0 } }).perGroup).toEqual(rational(1500n));
  });

  it('never assumes a bound: zero, fractional or missing bounds are refused with the value', () => {
    expect(() => countSensitivity({ maxGroupsPerPerson: 0, maxRowsPerGroup: 1 })).toThrow(/maxGroupsPerPerson=0/);
    expect(() => countSensitivity({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1.5 })).toThrow(/maxRowsPerGroup=1.5/);
    expect(() => countSensitivity({ maxGroupsPerPerson: Infinity, maxRowsPerGroup: 1 })).toThrow(CleanRoomError);
  });
});
