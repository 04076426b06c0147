/** An (ε, δ) pair, with ρ when the mechanism is Gaussian. */
export interface PrivacyFigures {
  epsilon: number;
  delta: number;
  rho?: number;
}

/**
 * Privacy amounts as a person reads them: `ε=9.5, δ=1e-5` (ρ added for the Gaussian
 * mechanism, where it is what one more run may spend).
 *
 * @example
 * ```ts
 * formatPrivacy({ epsilon: 9.5, delta: 0.0000099, rho: 0 }); // 'ε=9.5, δ=9.9e-6'
 * formatPrivacy({ epsilon: 1, delta: 1e-5, rho: 0.02 }, 'gaussian'); // 'ε=1, δ=1e-5, ρ=0.02'
 * ```
 */
export function formatPrivacy(figures: PrivacyFigures, mechanism: 'laplace' | 'gaussian' | null = null): string {
  const parts = [`ε=${formatEpsilon(figures.epsilon)}`, `δ=${formatDelta(figures.delta)}`];
  if (mechanism === 'gaussian' && figures.rho !== undefined) parts.push(`ρ=${formatEpsilon(figures.rho)}`);
  return parts.join(', ');
}

/**
 * An ε (or ρ): at most six significant digits, so sums of decimals read as written.
 *
 * @example
 * ```ts
 * formatEpsilon(0.1 + 0.2); // '0.3'
 * ```
 */
export function formatEpsilon(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * A δ: small values in exponent form with at most three significant digits.
 *
 * @example
 * ```ts
 * formatDelta(0.0000099); // '9.9e-6'
 * ```
 */
export function formatDelta(value: number): string {
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(3));
  return Math.abs(rounded) < 1e-3 ? rounded.toExponential() : String(rounded);
}

/**
 * When the budgets start afresh (epoch ms), in UTC.
 *
 * @example
 * ```ts
 * formatInstant(Date.UTC(2026, 11, 23, 18, 0)); // 'Dec 23, 2026, 6:00 PM UTC'
 * ```
 */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}
