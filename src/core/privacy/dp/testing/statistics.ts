import { errorFunction } from 'simple-statistics';

/**
 * Test support for the samplers' statistical tests: goodness of fit of integer samples
 * against an exact pmf. Not used by the library itself.
 *
 * @example
 * ```ts
 * const fit = goodnessOfFit(samples, (x) => pmf(x));
 * expect(fit.pValue).toBeGreaterThan(1e-3);
 * ```
 */
export interface GoodnessOfFit {
  /** Pearson's chi-square over bins with expected count ≥ 5 (tails pooled). */
  chiSquare: number;
  degreesOfFreedom: number;
  /** Upper-tail p-value of the chi-square (Wilson–Hilferty normal approximation). */
  pValue: number;
  /** Largest gap between the empirical and exact CDFs (a discrete Kolmogorov–Smirnov distance). */
  cdfDistance: number;
  /** The KS critical distance at α = 0.001 for this sample size (conservative for discrete laws). */
  cdfCritical: number;
  mean: number;
  variance: number;
}

/**
 * Compares integer samples with an exact pmf (given as doubles; the pmf is only a reference).
 *
 * @example
 * ```ts
 * goodnessOfFit([0n, 1n, -1n], (x) => (x === 0 ? 0.5 : 0.25));
 * ```
 */
export function goodnessOfFit(samples: readonly bigint[], pmf: (x: number) => number): GoodnessOfFit {
  const n = samples.length;
  const counts = new Map<number, number>();
  let sum = 0;
  let sumSquares = 0;
  for (const s of samples) {
    const x = Number(s);
    counts.set(x, (counts.get(x) ?? 0) + 1);
    sum += x;
    sumSquares += x * x;
  }
  const mean = sum / n;
  const variance = sumSquares / n - mean * mean;
  // Bins: every integer from the centre outwards while its expected count is ≥ 5, plus
  // the two pooled tails.
  let lo = 0;
  while (pmf(lo - 1) * n >= 5) lo--;
  let hi = 0;
  while (pmf(hi + 1) * n >= 5) hi++;
  let chiSquare = 0;
  let inside = 0;
  let observedInside = 0;
  let cdf = 0;
  let empirical = 0;
  let cdfDistance = 0;
  let below = 0;
  for (const [x, c] of counts) if (x < lo) below += c;
  let belowExpected = 0;
  for (let x = lo - 1; pmf(x) * n > 1e-9; x--) belowExpected += pmf(x);
  cdf = belowExpected;
  empirical = below / n;
  for (let x = lo; x <= hi; x++) {
    const expected = pmf(x) * n;
    const observed = counts.get(x) ?? 0;
    chiSquare += (observed - expected) ** 2 / expected;
    inside += pmf(x);
    observedInside += observed;
    cdf += pmf(x);
    empirical += observed / n;
    cdfDistance = Math.max(cdfDistance, Math.abs(cdf - empirical));
  }
  const tails: [number, number][] = [
    [belowExpected * n, below],
    [(1 - inside - belowExpected) * n, n - observedInside - below],
  ];
  let bins = hi - lo + 1;
  for (const [expected, observed] of tails) {
    if (expected < 1e-9) continue;
    chiSquare += (observed - expected) ** 2 / expected;
    bins++;
  }
  const df = Math.max(1, bins - 1);
  const z = (Math.cbrt(chiSquare / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return {
    chiSquare,
    degreesOfFreedom: df,
    pValue: 0.5 * (1 - errorFunction(z / Math.SQRT2)),
    cdfDistance,
    cdfCritical: 1.95 / Math.sqrt(n),
    mean,
    variance,
  };
}

/**
 * The discrete Laplace pmf of scale t, as doubles (reference for tests).
 *
 * @example
 * ```ts
 * discreteLaplacePmf(1)(0); // (1 − e^−1)/(1 + e^−1)
 * ```
 */
export function discreteLaplacePmf(t: number): (x: number) => number {
  const q = Math.exp(-1 / t);
  return (x) => ((1 - q) / (1 + q)) * q ** Math.abs(x);
}

/**
 * The discrete Gaussian pmf of σ², as doubles, normalised by direct summation.
 *
 * @example
 * ```ts
 * discreteGaussianPmf(1)(0); // ≈ 0.3989
 * ```
 */
export function discreteGaussianPmf(sigma2: number): (x: number) => number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 10;
  let z = 0;
  for (let x = -reach; x <= reach; x++) z += Math.exp((-x * x) / (2 * sigma2));
  return (x) => Math.exp((-x * x) / (2 * sigma2)) / z;
}

/**
 * Moments of a pmf over [−reach, reach]: mean and variance (reference for tests).
 *
 * @example
 * ```ts
 * momentsOf(discreteGaussianPmf(4), 200).variance; // a little under 4
 * ```
 */
export function momentsOf(pmf: (x: number) => number, reach: number): { mean: number; variance: number; fourth: number } {
  let mean = 0;
  let second = 0;
  let fourth = 0;
  for (let x = -reach; x <= reach; x++) {
    const p = pmf(x);
    mean += x * p;
    second += x * x * p;
    fourth += x ** 4 * p;
  }
  return { mean, variance: second - mean * mean, fourth };
}
