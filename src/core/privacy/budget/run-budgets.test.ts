import { describe, expect, it } from 'vitest';
import { dpTemplate } from '../../../../test/helpers/dp-template.js';
import { CleanRoomError } from '../../errors.js';
import { add, rational, toRational, type Rational } from '../dp/rational.js';
import { splitRunBudget } from './run-budgets.js';

const r = (x: unknown): Rational => toRational(x as number);
const total = (parts: unknown[]): Rational => parts.reduce<Rational>((sum, x) => add(sum, r(x ?? 0)), rational(0n));

describe('splitRunBudget', () => {
  it('gives a laplace run all of ε for values when no table selects', () => {
    const [budget] = splitRunBudget(dpTemplate({ epsilon: 1 }), 'spend', [false]);
    expect(budget).toEqual({ epsilon: rational(1n) });
  });

  it('splits a laplace ε in half between selection and values when the run groups by private keys', () => {
    const [budget] = splitRunBudget(dpTemplate({ epsilon: 1 }), 'spend', [true]);
    expect(budget).toEqual({ epsilon: rational(1n, 2n), selectionEpsilon: rational(1n, 2n), selectionDelta: r(1e-7) });
  });

  it('splits an overlap run over its three tables, adding up to exactly the cost', () => {
    const template = dpTemplate();
    const plain = splitRunBudget(template, 'overlap', [false, false, false]);
    expect(plain.map((b) => b.epsilon)).toEqual([rational(3n, 10n), rational(3n, 10n), rational(3n, 10n)]);
    expect(total(plain.map((b) => b.epsilon))).toEqual(r(0.9));
  });

  it('spends ρ on values and the analysis ε on selection under gaussian', () => {
    const template = dpTemplate({ mechanism: 'gaussian', rho: 0.5, epsilon: 0.4 });
    const [selecting] = splitRunBudget(template, 'spend', [true]);
    expect(selecting).toEqual({ rho: rational(1n, 2n), selectionEpsilon: rational(2n, 5n), selectionDelta: r(1e-7) });
    const [publicOnly] = splitRunBudget(template, 'spend', [false]);
    expect(publicOnly).toEqual({ rho: rational(1n, 2n) });
  });

  it('splits selection ε and δ among the selecting tables only', () => {
    const budgets = splitRunBudget(dpTemplate({ epsilon: 1 }), 'spend', [true, true, false]);
    expect(total(budgets.map((b) => b.epsilon))).toEqual(rational(1n, 2n));
    expect(total(budgets.map((b) => b.selectionEpsilon))).toEqual(rational(1n, 2n));
    expect(total(budgets.map((b) => b.selectionDelta))).toEqual(r(1e-7));
    expect(budgets[2]).not.toHaveProperty('selectionEpsilon');
  });

  it('refuses selection an analysis cost does not cover, and an analysis without a DP cost', () => {
    // The overlap of the test template groups only by a public key, so its cost has no δ.
    expect(() => splitRunBudget(dpTemplate(), 'overlap', [true, false, false])).toThrow(/partition selection/);
    expect(() => splitRunBudget(dpTemplate({ dp: false }), 'spend', [false])).toThrow(CleanRoomError);
  });
});
