import type { ContributionBounds } from '../contribution-bounds.js';
import { countSensitivity } from '../contribution-bounds.js';
import type { RandomSource } from '../random-source.js';
import { sampleUniformInt } from '../uniform.js';

/**
 * How {@link boundContributions} reads rows and bounds them: each row's person (the privacy
 * unit) and group, the bounds, and the random source that picks what is kept.
 *
 * @example
 * ```ts
 * const options: BoundOptions<Sale> = { personOf: (s) => s.personId, groupOf: (s) => s.store, bounds, rng };
 * ```
 */
export interface BoundOptions<R> {
  personOf: (row: R) => string;
  groupOf: (row: R) => string;
  bounds: ContributionBounds;
  rng: RandomSource;
  /**
   * Keep the groups and rows of smallest rank instead of a uniform choice (ties in input
   * order): a differential test passes the engine's keyed hashes, so the oracle keeps what the
   * SQL should.
   */
  rank?: { group: (person: string, group: string) => bigint; row: (row: R) => bigint };
}

/**
 * Keeps, for every person, at most `maxGroupsPerPerson` of their groups and at most
 * `maxRowsPerGroup` of their rows in each kept group, chosen uniformly at random with `rng`
 * (so which rows survive depends on that person's rows only, never on the others', and the
 * choice is not one an adversary can steer by ordering). Rows keep their input order.
 * Test support, not used by the library: the in-memory reference (the oracle of the
 * differential tests) of the bounding the engine does in SQL (`boundingSql`).
 *
 * @example
 * ```ts
 * const bounded = boundContributions(sales, {
 *   personOf: (s) => s.personId, groupOf: (s) => s.store, bounds: { maxGroupsPerPerson: 2, maxRowsPerGroup: 5 }, rng,
 * });
 * ```
 */
export function boundContributions<R>(rows: readonly R[], options: BoundOptions<R>): R[] {
  const { personOf, groupOf, bounds, rng, rank } = options;
  countSensitivity(bounds); // validates the bounds
  const { maxGroupsPerPerson, maxRowsPerGroup } = bounds;
  const byPerson = new Map<string, Map<string, number[]>>();
  rows.forEach((row, index) => {
    const person = personOf(row);
    const group = groupOf(row);
    const groups = byPerson.get(person) ?? new Map<string, number[]>();
    const indices = groups.get(group) ?? [];
    indices.push(index);
    groups.set(group, indices);
    byPerson.set(person, groups);
  });
  const kept: number[] = [];
  for (const [person, groups] of byPerson) {
    const chosen = rank === undefined ? choose([...groups.keys()], maxGroupsPerPerson, rng) : smallest([...groups.keys()], maxGroupsPerPerson, (g) => rank.group(person, g));
    for (const group of chosen) {
      const indices = groups.get(group)!;
      kept.push(...(rank === undefined ? choose(indices, maxRowsPerGroup, rng) : smallest(indices, maxRowsPerGroup, (i) => rank.row(rows[i]!))));
    }
  }
  return kept.sort((a, b) => a - b).map((index) => rows[index]!);
}

/** `count` items of `items` chosen uniformly at random (a partial Fisher–Yates shuffle). */
function choose<T>(items: T[], count: number, rng: RandomSource): T[] {
  if (items.length <= count) return items;
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + sampleUniformInt(pool.length - i, rng);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/** The `count` items of smallest rank, ties in their order. */
function smallest<T>(items: readonly T[], count: number, rankOf: (item: T) => bigint): T[] {
  const ranked = items.map((item, i) => ({ item, i, r: rankOf(item) }));
  ranked.sort((x, y) => (x.r < y.r ? -1 : x.r > y.r ? 1 : x.i - y.i));
  return ranked.slice(0, count).map((x) => x.item);
}
