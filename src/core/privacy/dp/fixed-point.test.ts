import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { fromFixedPoint, stepsOf, toFixedPoint } from './fixed-point.js';

describe('fixed point', () => {
  it('rounds to the nearest step exactly, ties away from zero', () => {
    expect(toFixedPoint(0.29, 0.01)).toBe(29n);
    expect(toFixedPoint(12.345, 0.01)).toBe(1235n);
    expect(toFixedPoint(-12.345, 0.01)).toBe(-1235n);
    expect(toFixedPoint(12.344, 0.01)).toBe(1234n);
    expect(toFixedPoint('1/3', '0.1')).toBe(3n);
    expect(toFixedPoint(7, 5)).toBe(1n);
  });

  it('maps steps back to values', () => {
    expect(fromFixedPoint(1235n, 0.01)).toBe(12.35);
    expect(fromFixedPoint(-3n, 0.5)).toBe(-1.5);
  });

  it('requires range bounds that are whole steps and a positive resolution', () => {
    expect(stepsOf(500, 0.01, 'max')).toBe(50_000n);
    expect(() => stepsOf(0.005, 0.01, 'min')).toThrow(/min=0.005 at resolution 0.01/);
    expect(() => toFixedPoint(1, 0)).toThrow(CleanRoomError);
  });
});
