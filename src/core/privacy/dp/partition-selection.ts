import { CleanRoomError } from '../../errors.js';
import { countSensitivity } from './contribution-bounds.js';
import { laplaceScaleFor, sampleNoise, type Mechanism } from './mechanism.js';
import { noiseInterval95 } from './noise-interval.js';
import { wholeCount } from './noisy-aggregate.js';
import type { RandomSource } from './random-source.js';
import { toNumber, toRational, type Rational, type RationalLike } from './rational.js';

/**
 * The parameters of DP partition selection: the (ε, δ) it spends and the bound k on the
 * groups one person may appear in.
 *
 * @example
 * ```ts
 * const options: PartitionSelectionOptions = { epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 3 };
 * ```
 */
export interface PartitionSelectionOptions {
  epsilon: RationalLike;
  delta: RationalLike;
  maxGroupsPerPerson: number;
}

/**
 * The noise scale t = k/ε and the integer threshold τ of Laplace thresholding.
 *
 * A person appears in at most k groups, once each (counts are of distinct people), so the
 * vector of counts has L1 sensitivity k and discrete Laplace noise of scale t = k/ε on every
 * count is ε-DP for groups present in both neighbouring datasets. A group present in one
 * only has exactly one person; releasing it must have probability ≤ δ/k, so that the (at
 * most k) such groups leak with probability ≤ δ together. With X discrete Laplace of scale
 * t and q = e^(−1/t), P[X ≥ n] = qⁿ/(1+q), hence the smallest safe integer threshold on the
 * noisy count 1 + X is
 *
 *     τ = 1 + ⌈t · ln(k / (δ · (1 + q)))⌉
 *
 * — the Laplace thresholding of Korolova, Kenthapadi, Mishra & Ntoulas (WWW 2009) as used by
 * Desfontaines, Voss, Gipson & Mandayam, "Differentially private partition selection" (PoPETs
 * 2022), adapted to the discrete Laplace. The whole selection is (ε, δ)-DP.
 *
 * @example
 * ```ts
 * partitionThreshold({ epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 1 }).threshold; // 15n
 * ```
 */
export function partitionThreshold(options: PartitionSelectionOptions): { threshold: bigint; scale: Rational } {
  const { epsilon, delta, maxGroupsPerPerson } = options;
  const d = toNumber(toRational(delta));
  if (!(d > 0 && d < 1)) {
    throw new CleanRoomError('invalid_argument', `Cannot select partitions as delta=${String(delta)}: it must be in (0, 1)`);
  }
  const scale = laplaceScaleFor(countSensitivity({ maxGroupsPerPerson, maxRowsPerGroup: 1 }), epsilon);
  const t = toNumber(scale);
  const q = Math.exp(-1 / t);
  // Rounded up a hair so that floating-point error in ln can only raise τ, never lower it.
  const gap = Math.ceil(t * Math.log(maxGroupsPerPerson / (d * (1 + q))) * (1 + 1e-12));
  return { threshold: 1n + BigInt(Math.max(0, gap)), scale };
}

/**
 * A group kept by partition selection, with its noisy count of distinct people (released with
 * the same noise, at no extra cost) and that count's 95% interval half-width.
 *
 * @example
 * ```ts
 * const kept: SelectedPartition<string> = { key: 'store-12', noisyCount: 84n, halfWidth: 3n };
 * ```
 */
export interface SelectedPartition<K> {
  key: K;
  noisyCount: bigint;
  halfWidth: bigint;
}

/**
 * Releases the keys of groups that come from private data only if their noisy count of
 * distinct people reaches {@link partitionThreshold}; the others vanish, name and all.
 * Input counts must already respect the bound: each person in at most `maxGroupsPerPerson`
 * groups. Groups with no people must not be passed (their absence is what is protected).
 *
 * @example
 * ```ts
 * selectPartitions([['store-1', 250n], ['store-2', 1n]], { epsilon: 1, delta: 1e-6, maxGroupsPerPerson: 1, rng });
 * // [{ key: 'store-1', noisyCount: 251n, halfWidth: 3n }] — store-2 almost surely not released
 * ```
 */
export function selectPartitions<K>(
  peoplePerGroup: Iterable<readonly [K, bigint | number]>,
  options: PartitionSelectionOptions & { rng: RandomSource },
): SelectedPartition<K>[] {
  const { rng } = options;
  const { threshold, scale } = partitionThreshold(options);
  const mechanism: Mechanism = { kind: 'discrete_laplace', scale };
  const { halfWidth } = noiseInterval95(mechanism);
  const kept: SelectedPartition<K>[] = [];
  for (const [key, people] of peoplePerGroup) {
    const noisyCount = wholeCount('people', people) + sampleNoise(mechanism, rng);
    if (noisyCount >= threshold) kept.push({ key, noisyCount, halfWidth });
  }
  return kept;
}
