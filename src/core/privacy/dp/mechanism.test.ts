import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { countSensitivity } from './contribution-bounds.js';
import { gaussianSigma2For, laplaceScaleFor, sampleNoise } from './mechanism.js';
import { seededRandomSource } from './random-source.js';
import { rational } from './rational.js';

describe('calibration', () => {
  it('laplace: scale = Δ₁/ε, exactly', () => {
    expect(laplaceScaleFor(1, 0.5)).toEqual(rational(2n));
    expect(laplaceScaleFor(countSensitivity({ maxGroupsPerPerson: 3, maxRowsPerGroup: 2 }), 0.1)).toEqual(rational(60n));
    expect(laplaceScaleFor(rational(1n, 3n), '2/3')).toEqual(rational(1n, 2n));
  });

  it('gaussian: σ² = Δ₂²/(2ρ), with Δ₂² = k·m² from the bounds', () => {
    expect(gaussianSigma2For(1, 0.125)).toEqual(rational(4n));
    expect(gaussianSigma2For(countSensitivity({ maxGroupsPerPerson: 4, maxRowsPerGroup: 3 }), 0.5)).toEqual(rational(36n));
  });

  it('refuses a non-positive budget or sensitivity', () => {
    expect(() => laplaceScaleFor(1, 0)).toThrow(/epsilon=0/);
    expect(() => gaussianSigma2For(1, -1)).toThrow(/rho=-1/);
    expect(() => laplaceScaleFor(0, 1)).toThrow(CleanRoomError);
  });

  it('samples from the named mechanism', () => {
    const rng = seededRandomSource(3);
    const draws = Array.from({ length: 500 }, () => sampleNoise({ kind: 'discrete_gaussian', sigma2: rational(1n, 100n) }, rng));
    expect(draws.every((x) => x === 0n)).toBe(true); // σ = 0.1: P[X ≠ 0] ≈ 4e−22
    expect(typeof sampleNoise({ kind: 'discrete_laplace', scale: rational(5n) }, rng)).toBe('bigint');
  });
});
