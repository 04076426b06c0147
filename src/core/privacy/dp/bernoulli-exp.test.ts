import { afterEach, describe, expect, it, vi } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { sampleBernoulliExp } from './bernoulli-exp.js';
import { sampleDiscreteGaussian } from './discrete-gaussian.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';
import type { RandomSource } from './random-source.js';
import { seededRandomSource } from './random-source.js';
import { rational } from './rational.js';

const scripted = (words: number[]): RandomSource => {
  let i = 0;
  return { nextUint32: () => words[i++] ?? 0 };
};

describe('sampleBernoulliExp (Algorithm 1)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('follows the series exactly: K counts Bernoulli(γ/k) successes and the answer is "K odd"', () => {
    // γ = 1/2. Bernoulli(1/2) draws uniform [0,2): word 0 < 1 succeeds (K = 2); Bernoulli(1/4)
    // draws uniform [0,4): word 3 fails. K = 2 is even: 0.
    expect(sampleBernoulliExp(rational(1n, 2n), scripted([0, 3]))).toBe(false);
    // Word 1 fails Bernoulli(1/2) at once: K = 1, odd: 1.
    expect(sampleBernoulliExp(rational(1n, 2n), scripted([1]))).toBe(true);
    // Three successes then a failure: K = 4, even.
    expect(sampleBernoulliExp(rational(1n, 2n), scripted([0, 0, 0, 7]))).toBe(false);
  });

  it('returns 1 for γ = 0 always, and splits γ > 1 into exp(−1)^⌊γ⌋ · exp(−frac)', () => {
    const rng = seededRandomSource(2);
    for (let i = 0; i < 1000; i++) expect(sampleBernoulliExp(rational(0n), rng)).toBe(true);
    // γ = 2 is two Bernoulli(exp(−1)) draws, then Bernoulli(exp(−0)) = 1. In each draw,
    // Bernoulli(1/1) succeeds without a word; words [0, 1] give success at 1/2 and failure at
    // 1/3: K = 3, odd, so the draw is 1.
    expect(sampleBernoulliExp(rational(2n), scripted([0, 1, 0, 1]))).toBe(true);
    // The second draw gets [0, 0, 3]: failure at 1/4, K = 4, even: the answer is 0 at once.
    expect(sampleBernoulliExp(rational(2n), scripted([0, 1, 0, 0, 3]))).toBe(false);
  });

  it('matches exp(−γ) over 300 000 draws per γ, within 5 standard errors (fixed seed)', () => {
    const rng = seededRandomSource(20_200_401);
    const n = 300_000;
    for (const [num, den] of [[1n, 3n], [1n, 1n], [5n, 2n], [7n, 1n], [123n, 1000n]] as const) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (sampleBernoulliExp(rational(num, den), rng)) hits++;
      const p = Math.exp(-Number(num) / Number(den));
      expect(Math.abs(hits / n - p), `γ=${num}/${den}`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('uses no floating-point randomness or transcendental functions in any sampler', () => {
    const spies = (['random', 'exp', 'log', 'log1p', 'sqrt', 'pow'] as const).map((name) => vi.spyOn(Math, name));
    const rng = seededRandomSource(9);
    for (let i = 0; i < 2000; i++) {
      sampleBernoulliExp(rational(17n, 5n), rng);
      sampleDiscreteLaplace(rational(7n, 3n), rng);
      sampleDiscreteGaussian(rational(1000n, 7n), rng);
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a negative γ', () => {
    expect(() => sampleBernoulliExp(rational(-1n, 2n), seededRandomSource(1))).toThrow(CleanRoomError);
  });
});
