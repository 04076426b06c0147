import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { seededRandomSource } from './random-source.js';
import { sampleUniformBigInt } from './uniform.js';
import { add, ceil, compare, div, floor, formatRational, mul, rational, sub, toNumber, toRational } from './rational.js';

describe('rational', () => {
  it('reduces and keeps the denominator positive', () => {
    expect(rational(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
  });

  it('reads numbers through their shortest decimal, so 0.1 is exactly 1/10', () => {
    expect(toRational(0.1)).toEqual({ num: 1n, den: 10n });
    expect(toRational(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(toRational('2.5e3')).toEqual({ num: 2500n, den: 1n });
    expect(toRational('-3/6')).toEqual({ num: -1n, den: 2n });
    expect(toRational(7n)).toEqual({ num: 7n, den: 1n });
    expect(compare(add(toRational(0.1), toRational(0.2)), toRational(0.3))).toBe(0);
  });

  it('refuses what is not a finite rational, naming the value', () => {
    expect(() => toRational(Number.NaN)).toThrow(CleanRoomError);
    expect(() => toRational(Infinity)).toThrow(/Infinity/);
    expect(() => toRational('ten')).toThrow(/"ten"/);
    expect(() => rational(1n, 0n)).toThrow(/denominator is 0/);
  });

  it('does exact arithmetic', () => {
    const third = rational(1n, 3n);
    expect(sub(rational(1n), third)).toEqual(rational(2n, 3n));
    expect(mul(third, rational(3n, 4n))).toEqual(rational(1n, 4n));
    expect(div(third, rational(2n))).toEqual(rational(1n, 6n));
    let sum = rational(0n);
    for (let i = 0; i < 10; i++) sum = add(sum, toRational(0.1));
    expect(sum).toEqual(rational(1n));
  });

  it('floors and ceils towards the right side for negatives', () => {
    expect(floor(rational(-3n, 2n))).toBe(-2n);
    expect(floor(rational(3n, 2n))).toBe(1n);
    expect(floor(rational(-4n, 2n))).toBe(-2n);
    expect(ceil(rational(3n, 2n))).toBe(2n);
    expect(ceil(rational(-3n, 2n))).toBe(-1n);
  });

  it('converts to a double and a short decimal for messages', () => {
    expect(toNumber(rational(1n, 3n))).toBeCloseTo(1 / 3, 15);
    expect(toNumber(rational(-7n, 2n))).toBe(-3.5);
    expect(formatRational(rational(1n, 3n))).toBe('0.3333');
    expect(formatRational(toRational(0.9))).toBe('0.9');
  });

  it('keeps the field laws on 2 000 random rationals with big parts (property)', () => {
    const rng = seededRandomSource(17);
    const big = (): bigint => sampleUniformBigInt(10n ** 30n, rng) - 5n * 10n ** 29n;
    const random = () => rational(big(), sampleUniformBigInt(10n ** 20n, rng) + 1n);
    for (let i = 0; i < 2000; i++) {
      const a = random();
      const b = random();
      expect(sub(add(a, b), b)).toEqual(a);
      if (b.num !== 0n) expect(mul(div(a, b), b)).toEqual(a);
      expect(compare(a, b)).toBe(-compare(b, a));
      expect(compare(rational(floor(a)), a)).toBeLessThanOrEqual(0);
      expect(compare(add(rational(floor(a)), rational(1n)), a)).toBe(1);
      expect(ceil(a) - floor(a)).toBe(a.den === 1n ? 0n : 1n);
      expect(a.den > 0n).toBe(true);
    }
  });
});
