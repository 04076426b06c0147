import type { Cell } from '../engine-port.js';
import { coversMinimum, roundCount } from './guard-policy.js';
import type { GuardPolicy } from './guard-policy.js';
import type { ResultShape } from './result-shape.js';

export type { GuardPolicy };

/** A released table: only rows that passed, and what was held back. */
export interface GuardedTable {
  columns: string[];
  rows: Record<string, Cell>[];
  /** Rows held back: below the minimum, or held back so the others cannot reveal them. */
  suppressed: SuppressionReport;
  /** When counts are rounded: the width of the ranges they stand for. */
  roundedTo: number | null;
  /**
   * Under differential privacy: each noisy column, labelled. Every row then also carries
   * `<column>.low` and `<column>.high`, the bounds of its 95% interval.
   */
  noise?: Record<string, NoiseNote>;
  /** Under differential privacy: how the released groups were chosen. */
  selection?: GroupSelection;
}

/**
 * What a table says about the rows it held back. When its rows are groups found in the data
 * (it has dimensions), the counts are `null` and the reason is always the same sentence:
 * a group of zero people does not exist while a group of one is held back, so "1 row
 * suppressed" against "nothing suppressed" would tell whether a guessed person is in the
 * data. A table of one row (no dimensions) always has its row, so its report tells nothing
 * the release itself does not.
 *
 * @example
 * ```ts
 * const told: SuppressionReport = { rows: 1, belowMinimum: 1, complementary: 0, reason: '1 row(s) covered fewer than 100 people' };
 * const untold: SuppressionReport = { rows: null, belowMinimum: null, complementary: null, reason: untoldReason(100) };
 * ```
 */
export interface SuppressionReport {
  rows: number | null;
  belowMinimum: number | null;
  complementary: number | null;
  reason: string | null;
}

/**
 * The one sentence every grouped table carries, whether or not it held anything back.
 *
 * @example
 * ```ts
 * untoldReason(100); // 'groups behind fewer than 100 people are never shown; whether any were held back is not told'
 * ```
 */
export function untoldReason(minPeople: number): string {
  return `groups behind fewer than ${minPeople} people are never shown; whether any were held back is not told`;
}

/**
 * How a noisy column was made, and what its interval means.
 *
 * @example
 * ```ts
 * const note: NoiseNote = { mechanism: 'discrete_laplace', parameter: 'scale=4', confidence: 0.95, method: 'exact', halfWidth: 12, label: 'noisy count, 95% interval ±12' };
 * ```
 */
export interface NoiseNote {
  /** `derived`: computed from noisy columns (a mean = noisy sum ÷ noisy people); costs nothing more. */
  mechanism: 'discrete_laplace' | 'discrete_gaussian' | 'derived';
  /** The mechanism's parameter (`scale=4`, `σ²=12.5`), or how it was derived. */
  parameter: string;
  confidence: number;
  /** `exact` (Laplace tail), `bound` (Gaussian tail bound), `derived` (from the intervals it is computed from). */
  method: 'exact' | 'bound' | 'derived';
  /** The same for every row; null when it differs by row (derived columns). */
  halfWidth: number | null;
  /** One line for people: what the value is and how sure. */
  label: string;
}

/**
 * How the groups of a noisy table were chosen: `public` (every value the template declares,
 * empty ones too), `noisy_threshold` (DP partition selection: a group is released when its
 * noisy count of people reaches `threshold`), or `none` (one row, no groups).
 *
 * @example
 * ```ts
 * const s: GroupSelection = { kind: 'noisy_threshold', threshold: 15, epsilon: 0.25, delta: 1e-7 };
 * ```
 */
export interface GroupSelection {
  kind: 'public' | 'noisy_threshold' | 'none';
  threshold?: number;
  epsilon?: number;
  delta?: number;
}

/**
 * The release guard of one result table (pure):
 *
 * 1. A row behind fewer than `minPeople` distinct people is suppressed whole: it is not
 *    released at all, not even its group's name, so its mere existence tells nothing.
 * 2. When the groups partition the people (`shape.partition`), the suppressed rows
 *    together must also cover at least `minPeople` people, or a total from another run
 *    minus the released rows would reveal them: the smallest released rows are held back
 *    too (complementary suppression) until they do, or every row is held back.
 * 3. Released counts are rounded down to multiples of `rounding.to` when the template
 *    asks for ranges ([value, value + to - 1]).
 * 4. A grouped table does not say how many rows it held back ({@link SuppressionReport}).
 *
 * @example
 * ```ts
 * guardResult(rows, { dimensions: ['campaign'], people: 'people', counts: [], values: ['revenue'], partition: true }, { minPeople: 100, rounding: null });
 * ```
 */
export function guardResult(rows: readonly Record<string, Cell>[], shape: ResultShape, policy: GuardPolicy): GuardedTable {
  return guardRows(rows, shape, policy).table;
}

/**
 * {@link guardResult} with the rows the difference check holds back (`differing`, indexes
 * into `rows`: they count as held back for complementary suppression, with their people),
 * and the indexes of the rows it released, in order.
 *
 * @example
 * ```ts
 * const { table, released } = guardRows(rows, shape, policy, new Set([2]));
 * ```
 */
export function guardRows(
  rows: readonly Record<string, Cell>[],
  shape: ResultShape,
  policy: GuardPolicy,
  differing: ReadonlySet<number> = new Set(),
  /** Whether row `index` alone is enough people to release (the noisy threshold); default the exact minimum. */
  covers?: (index: number) => boolean,
): { table: GuardedTable; released: number[] } {
  const { minPeople, rounding } = policy;
  const columns = [...shape.dimensions, shape.people, ...shape.counts, ...shape.values];
  const peopleOf = (row: Record<string, Cell>): number => {
    const value = Number(row[shape.people] ?? 0);
    return Number.isFinite(value) ? value : 0;
  };
  const held = new Set<number>();
  rows.forEach((row, index) => {
    if (!(covers ? covers(index) : coversMinimum(peopleOf(row), policy))) held.add(index);
  });
  const belowMinimum = held.size;
  let different = 0;
  for (const index of differing) {
    if (held.has(index) || index >= rows.length) continue;
    held.add(index);
    different++;
  }
  if (shape.partition && held.size > 0) {
    let covered = [...held].reduce((sum, index) => sum + peopleOf(rows[index]!), 0);
    const released = rows
      .map((row, index) => ({ index, people: peopleOf(row) }))
      .filter((r) => !held.has(r.index))
      .sort((x, y) => x.people - y.people || x.index - y.index);
    for (const r of released) {
      if (coversMinimum(covered, policy)) break;
      held.add(r.index);
      covered += r.people;
    }
  }
  const released: number[] = [];
  const out = rows.flatMap((row, index) => {
    if (held.has(index)) return [];
    released.push(index);
    const copy: Record<string, Cell> = {};
    for (const column of columns) copy[column] = row[column] ?? null;
    for (const column of [shape.people, ...shape.counts]) {
      const value = copy[column];
      if (typeof value === 'number') copy[column] = roundCount(value, policy);
    }
    return [copy];
  });
  const complementary = held.size - belowMinimum - different;
  const reasons = [
    ...(belowMinimum > 0 ? [`${belowMinimum} row(s) covered fewer than ${minPeople} people${policy.noisyThreshold !== undefined ? ' (by the noisy threshold)' : ''}`] : []),
    ...(different > 0 ? [`${different} row(s) differed by fewer than ${minPeople} people from a row released before`] : []),
    ...(complementary > 0 ? [`${complementary} more held back so that totals cannot reveal them`] : []),
  ];
  const told: SuppressionReport = { rows: held.size, belowMinimum, complementary, reason: reasons.length === 0 ? null : reasons.join('; ') };
  const table: GuardedTable = {
    columns,
    rows: out,
    suppressed: shape.dimensions.length > 0 ? { rows: null, belowMinimum: null, complementary: null, reason: untoldReason(minPeople) } : told,
    roundedTo: rounding?.to ?? null,
  };
  return { table, released };
}
