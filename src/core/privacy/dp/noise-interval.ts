import type { Mechanism } from './mechanism.js';
import { toNumber } from './rational.js';

/**
 * The half-width h of a 95% interval for a mechanism's noise X: P[|X| ≤ h] ≥ 0.95, so the
 * true value lies in [noisy − h, noisy + h] with probability at least 95%. `method` says
 * whether h is the exact smallest such integer or comes from a proven tail bound.
 *
 * @example
 * ```ts
 * const i: NoiseInterval = noiseInterval95({ kind: 'discrete_laplace', scale: rational(1n) }); // halfWidth 3n
 * ```
 */
export interface NoiseInterval {
  confidence: 0.95;
  halfWidth: bigint;
  method: 'exact' | 'bound';
  label: string;
}

/** Φ⁻¹(0.975): the two-sided 95% quantile of the standard normal distribution. */
const Z_975 = 1.959963984540054;
const ALPHA = 0.05;

/**
 * The 95% interval of a mechanism's noise, computed from its parameters alone (never from
 * the data, so it costs no budget):
 *
 * - discrete Laplace of scale t, q = e^(−1/t): P[|X| ≥ k] = 2q^k/(1+q) for k ≥ 1 (the exact
 *   tail sum of the geometric pmf), so h is the smallest integer with 2q^(h+1)/(1+q) ≤ 0.05;
 *   labelled `exact`;
 * - discrete Gaussian of σ²: the tail comparison P[X ≥ m] ≤ P[N(0, σ²) ≥ m − 1] for m ≥ 1
 *   gives P[|X| > h] ≤ 2·P[N(0, σ²) ≥ h] ≤ 0.05 for h = ⌈1.96·σ⌉; labelled `bound`
 *   (conservative: true coverage is a little above 95%). Proof of the comparison, with
 *   f(x) = e^(−x²/2σ²): f decreases on [m − 1, ∞), so Σ_{x≥m} f(x) ≤ ∫_{m−1}^∞ f; and by
 *   Poisson summation Σ_{x∈ℤ} f(x) = σ√(2π)·Σ_k e^(−2π²σ²k²) ≥ σ√(2π) = ∫_ℝ f. The tests
 *   also check it numerically against the exact pmf.
 *
 * Floating point is fine here: it only sizes the reported interval, never the noise.
 *
 * @example
 * ```ts
 * noiseInterval95({ kind: 'discrete_gaussian', sigma2: rational(100n) }).halfWidth; // 20n
 * ```
 */
export function noiseInterval95(mechanism: Mechanism): NoiseInterval {
  if (mechanism.kind === 'discrete_gaussian') {
    const sigma = Math.sqrt(toNumber(mechanism.sigma2));
    return {
      confidence: 0.95,
      halfWidth: BigInt(Math.ceil(Z_975 * sigma * (1 + 1e-12))),
      method: 'bound',
      label: '95% interval of the discrete Gaussian noise (upper bound: ⌈1.96σ⌉ from its tail comparison with N(0, σ²))',
    };
  }
  const t = toNumber(mechanism.scale);
  const logQ = -1 / t;
  const logTail = (h: number): number => Math.log(2) + (h + 1) * logQ - Math.log1p(Math.exp(logQ));
  let h = Math.max(0, Math.ceil((Math.log(ALPHA) - Math.log(2) + Math.log1p(Math.exp(logQ))) / logQ) - 1);
  while (h > 0 && logTail(h - 1) <= Math.log(ALPHA)) h--;
  while (logTail(h) > Math.log(ALPHA)) h++;
  return {
    confidence: 0.95,
    halfWidth: BigInt(h),
    method: 'exact',
    label: '95% interval of the discrete Laplace noise (exact, from its tail sum 2q^(h+1)/(1+q))',
  };
}
