import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { addSpent, checkBudget, describeCost, describeRemaining, exactCost, zcdpToEpsilon } from './privacy-accounting.js';
import { rational } from '../dp/rational.js';

describe('privacy accounting', () => {
  it('adds ε exactly: ten charges of 0.1 spend exactly 1', () => {
    let spent = exactCost({ epsilon: 0.1 });
    for (let i = 1; i < 10; i++) spent = addSpent(spent, exactCost({ epsilon: 0.1 }));
    expect(spent.epsilon).toEqual(rational(1n));
    expect(checkBudget(spent, { epsilon: 1 })).toEqual({ within: true, remaining: { epsilon: 0, delta: 0, rho: 0 } });
    expect(checkBudget(addSpent(spent, exactCost({ epsilon: '1e-9' })), { epsilon: 1 }).within).toBe(false);
  });

  it('converts ρ-zCDP to (ε, δ) by ε = ρ + 2√(ρ ln(1/δ))', () => {
    expect(zcdpToEpsilon(0.01, 1e-6)).toBeCloseTo(0.01 + 2 * Math.sqrt(0.01 * Math.log(1e6)), 10);
    expect(zcdpToEpsilon(0, 1e-6)).toBe(0);
  });

  it('spends the δ other runs left on the Gaussian conversion, and reports the ρ still affordable', () => {
    const L = Math.log(1e6);
    const rhoMax = (Math.sqrt(L + 1) - Math.sqrt(L)) ** 2; // ≈ 0.01747
    const fresh = checkBudget(exactCost({ rho: '1e-12' }), { epsilon: 1, delta: 1e-6 });
    expect(fresh.within).toBe(true);
    expect(fresh.remaining.rho).toBeCloseTo(rhoMax, 6);
    expect(checkBudget(exactCost({ rho: rhoMax * 0.999 }), { epsilon: 1, delta: 1e-6 }).within).toBe(true);
    expect(checkBudget(exactCost({ rho: rhoMax * 1.001 }), { epsilon: 1, delta: 1e-6 }).within).toBe(false);
    const mixed = checkBudget(exactCost({ epsilon: 0.5, rho: 0.004 }), { epsilon: 1, delta: 1e-6 });
    expect(mixed.within).toBe(true);
    expect(mixed.remaining.epsilon).toBeCloseTo(0.5 - zcdpToEpsilon(0.004, 1e-6), 10);
    expect(mixed.remaining.rho).toBeCloseTo((Math.sqrt(L + 0.5) - Math.sqrt(L)) ** 2 - 0.004, 8);
  });

  it('refuses a Gaussian run when no δ is left for its conversion', () => {
    expect(checkBudget(exactCost({ rho: 0.001 }), { epsilon: 10 }).within).toBe(false);
    expect(checkBudget(exactCost({ epsilon: 0.1, delta: 1e-6, rho: 0.001 }), { epsilon: 10, delta: 1e-6 }).within).toBe(false);
  });

  it('refuses negative parts and a cost of nothing', () => {
    expect(() => exactCost({ epsilon: -0.1 })).toThrow(/epsilon=-0.1/);
    expect(() => exactCost({})).toThrow(CleanRoomError);
    expect(() => exactCost({ delta: 1e-6 })).toThrow(/nothing/);
  });

  it('rounds what remains down in messages, never promising more than is left', () => {
    expect(describeRemaining({ epsilon: 0.099996, delta: 0, rho: 0 })).toBe('ε=0.09999');
    expect(describeRemaining({ epsilon: 0.3, delta: 0, rho: 0 })).toBe('ε=0.3');
    expect(describeRemaining({ epsilon: 0, delta: 1e-6, rho: 0.0123456 })).toBe('ε=0, δ=0.000001, ρ=0.01234 (zCDP)');
    // Without Gaussian runs, ρ means nothing to the reader and is left out.
    expect(describeRemaining({ epsilon: 0, delta: 1e-6, rho: 0.0123456 }, { zcdp: false })).toBe('ε=0, δ=0.000001');
  });

  it('describes a cost for messages', () => {
    expect(describeCost(exactCost({ epsilon: 0.1 }))).toBe('ε=0.1');
    expect(describeCost(exactCost({ epsilon: 0.5, delta: 1e-6 }))).toBe('ε=0.5, δ=0.000001');
    expect(describeCost(exactCost({ rho: 0.02 }))).toBe('ρ=0.02 (zCDP)');
  });
});
