import { CleanRoomError } from '../../errors.js';
import type { Cell } from '../../engine-port.js';
import type { GroupSelection, GuardedTable, NoiseNote } from '../guard-result.js';
import { countSensitivity, type ContributionBounds, type ValueRange } from './contribution-bounds.js';
import { fromFixedPoint } from './fixed-point.js';
import type { Mechanism } from './mechanism.js';
import { noiseInterval95 } from './noise-interval.js';
import { mechanismFor, noisyCount, noisySum, sumStepsSensitivity, type NoiseBudget } from './noisy-aggregate.js';
import { partitionThreshold, selectPartitions } from './partition-selection.js';
import type { RandomSource } from './random-source.js';
import { div, formatRational, mul, rational, toNumber, toRational, type RationalLike } from './rational.js';

/**
 * What {@link releaseNoisyTable} releases from per-group true aggregates, and the budget it
 * may spend. The true aggregates must already be contribution-bounded (each person in at
 * most `maxGroupsPerPerson` groups, at most `maxRowsPerGroup` rows per group, values clamped
 * to `range` and summed in whole `resolution` steps): the noise is calibrated to those bounds.
 *
 * @example
 * ```ts
 * const spec: NoisyTableSpec = {
 *   dimensions: ['transactions.store'],
 *   people: 'people',
 *   counts: [],
 *   sums: [{ column: 'transactions.revenue.sum', stepsColumn: 'revenue_steps', range: { min: 0, max: 500 }, resolution: 0.01, maxRowsPerGroup: 1 }],
 *   means: [{ column: 'transactions.revenue.mean', sum: 'transactions.revenue.sum', count: 'people' }],
 *   maxGroupsPerPerson: 1,
 *   mechanism: 'laplace',
 *   budget: { epsilon: 0.25, selectionEpsilon: 0.25, selectionDelta: 1e-7 },
 * };
 * ```
 */
export interface NoisyTableSpec {
  /** Group-key columns; empty for one row over everyone. */
  dimensions: string[];
  /**
   * When every dimension is public (declared allowed values): the values of each dimension.
   * Every combination is released, absent ones as a true 0, so no group key reveals anything.
   * Rows whose keys are not among them (a NULL key, say) are left out. Absent: the keys come
   * from private data and pass DP partition selection.
   */
  publicGroups?: Record<string, string[]>;
  /** The column of distinct people per group (each person in at most k groups). */
  people: string;
  /** Other counts of rows per group; one person adds at most `maxRowsPerGroup` to each of k groups. */
  counts: { column: string; maxRowsPerGroup: number }[];
  /** Sums: `stepsColumn` holds the true fixed-point sum in steps; `column` names the released value. */
  sums: {
    column: string;
    stepsColumn: string;
    range: ValueRange;
    resolution: RationalLike;
    maxRowsPerGroup: number;
    /** When each person's total in a group is also clamped to this range (in `stepsColumn` already): it bounds the sensitivity too. */
    personTotal?: ValueRange;
  }[];
  /** Means derived from released columns: noisy `sum` ÷ noisy `count` (post-processing, free). */
  means: { column: string; sum: string; count: string }[];
  /** k: the most groups one person reaches. */
  maxGroupsPerPerson: number;
  mechanism: 'laplace' | 'gaussian';
  /**
   * What this table may spend: `epsilon` (laplace) or `rho` (gaussian) on the values, split
   * equally among the noised statistics; `selectionEpsilon` and `selectionDelta` on partition
   * selection when the keys are private.
   */
  budget: { epsilon?: RationalLike; rho?: RationalLike; selectionEpsilon?: RationalLike; selectionDelta?: RationalLike };
}

/**
 * Above this many public combinations the keys pass partition selection instead.
 *
 * @example
 * ```ts
 * 101 * 101 > MAX_PUBLIC_GROUPS; // true: two keys of 101 values each are selected, not enumerated
 * ```
 */
export const MAX_PUBLIC_GROUPS = 10_000;

/**
 * Turns per-group true aggregates into a released noisy table (pure, apart from `rng`).
 *
 * Budget, by composition of independent releases:
 *
 * - **Groups.** No dimensions: one row (true 0s when there are no rows). Public dimensions:
 *   every combination of their declared values (at most {@link MAX_PUBLIC_GROUPS}), absent
 *   ones as a true 0: the keys cost nothing. Otherwise DP partition selection
 *   ({@link selectPartitions}) on the people column spends (`selectionEpsilon`,
 *   `selectionDelta`), and only groups whose noisy count of people reaches the threshold are
 *   released; no figure about the others is.
 * - **Values.** The values budget (ε under laplace, ρ under gaussian) is split equally among
 *   the noised statistics — the people count, each count, each sum — each noised per group
 *   with the sensitivity of its whole vector (a person reaches k groups): people k, a count
 *   k·m, a sum k·m·B. Basic composition (ε) or zCDP composition (ρ) adds them back up to the
 *   budget. Under partition selection the people count is the selection's own noisy count
 *   (reused at no extra cost), so the values budget is split among the other statistics
 *   only; when there are none, the people count is noised again from the values budget and
 *   that count is released (selection's count then only decides which groups appear).
 * - **Post-processing** (free): noisy counts below 0 are released as 0 (and sums below 0 when
 *   the range has no negative values); a mean is noisy sum ÷ noisy count, kept inside the range
 *   a mean can take, with an interval derived from both 95% intervals (so it holds with at
 *   least 90%), and null where the noisy count is not above 0.
 *
 * Every noised column gets a {@link NoiseNote} and every row its `<column>.low` and
 * `<column>.high`. The table spends at most `budget`, never more; a part it has no use for
 * (selection with public keys) is simply not spent.
 *
 * @example
 * ```ts
 * const table = releaseNoisyTable(rows, spec, cryptoRandomSource());
 * table.rows[0]; // { 'transactions.store': 'S1', people: 412, 'people.low': 403, 'people.high': 421, ... }
 * ```
 */
export function releaseNoisyTable(rows: readonly Record<string, Cell>[], spec: NoisyTableSpec, rng: RandomSource): GuardedTable {
  const { dimensions, people, counts, sums, means, maxGroupsPerPerson: k, mechanism, budget } = spec;
  const byKey = indexRows(rows, dimensions);
  const groups = chooseGroups(byKey, spec, rng);
  const reused = groups.selected !== null && counts.length + sums.length > 0;
  const statistics = (reused ? 0 : 1) + counts.length + sums.length;
  const share = valuesShare(mechanism, budget, statistics);
  const notes: Record<string, NoiseNote> = {};
  const out: Record<string, Cell>[] = groups.keys.map((key) => {
    const row: Record<string, Cell> = {};
    dimensions.forEach((d, i) => (row[d] = key[i] ?? null));
    return row;
  });

  const countBounds = (m: number): ContributionBounds => ({ maxGroupsPerPerson: k, maxRowsPerGroup: m });
  if (reused) notes[people] = selectionNote(spec);
  else notes[people] = countNote('noisy count of people', mechanismFor(countSensitivity(countBounds(1)), share));
  for (const c of counts) notes[c.column] = countNote('noisy count', mechanismFor(countSensitivity(countBounds(c.maxRowsPerGroup)), share));
  for (const s of sums) notes[s.column] = sumNote(s, mechanismFor(sumStepsSensitivity(countBounds(s.maxRowsPerGroup), s), share));

  groups.keys.forEach((key, i) => {
    const truth = byKey.get(keyOf(key));
    const row = out[i]!;
    if (reused) {
      const kept = groups.selected!.get(keyOf(key))!;
      putCount(row, people, Number(kept.noisyCount), Number(kept.halfWidth));
    } else {
      const v = noisyCount(wholeCell(truth?.[people], people), { bounds: countBounds(1), budget: share, rng });
      putCount(row, people, v.value, v.interval.halfWidth);
    }
    for (const c of counts) {
      const v = noisyCount(wholeCell(truth?.[c.column], c.column), { bounds: countBounds(c.maxRowsPerGroup), budget: share, rng });
      putCount(row, c.column, v.value, v.interval.halfWidth);
    }
    for (const s of sums) {
      const v = noisySum(stepsCell(truth?.[s.stepsColumn], s.stepsColumn), {
        bounds: countBounds(s.maxRowsPerGroup),
        range: s.range,
        resolution: s.resolution,
        budget: share,
        rng,
        ...(s.personTotal === undefined ? {} : { personTotal: s.personTotal }),
      });
      const floor = nonNegative(s) ? 0 : -Infinity;
      row[s.column] = Math.max(floor, v.value);
      row[`${s.column}.low`] = Math.max(floor, v.interval.low);
      row[`${s.column}.high`] = Math.max(floor, v.interval.high);
    }
  });

  for (const m of means) {
    const range = meanRange(spec, m);
    for (const row of out) {
      const [value, low, high] = derivedMean(row, m, range);
      row[m.column] = value;
      row[`${m.column}.low`] = low;
      row[`${m.column}.high`] = high;
    }
    notes[m.column] = {
      mechanism: 'derived',
      parameter: `${m.sum} ÷ ${m.count}`,
      confidence: 0.9,
      method: 'derived',
      halfWidth: null,
      label: `noisy mean = noisy ${m.sum} ÷ noisy ${m.count}: interval from both 95% intervals (holds with at least 90%), within [${range.low}, ${range.high}]; empty when the noisy count is 0`,
    };
  }

  return {
    columns: [...dimensions, people, ...counts.map((c) => c.column), ...sums.map((s) => s.column), ...means.map((m) => m.column)],
    rows: out,
    suppressed: { rows: 0, belowMinimum: 0, complementary: 0, reason: null },
    roundedTo: null,
    noise: notes,
    selection: groups.selection,
  };
}

type Key = readonly Cell[];
type Kept = { noisyCount: bigint; halfWidth: bigint };
interface Groups {
  keys: Key[];
  selected: Map<string, Kept> | null;
  selection: GroupSelection;
}

const keyOf = (key: Key): string => JSON.stringify(key);

function indexRows(rows: readonly Record<string, Cell>[], dimensions: readonly string[]): Map<string, Record<string, Cell>> {
  const byKey = new Map<string, Record<string, Cell>>();
  for (const row of rows) {
    const key = keyOf(dimensions.map((d) => row[d] ?? null));
    if (byKey.has(key)) {
      throw new CleanRoomError('invalid_argument', `Cannot release a noisy table as group ${key} appears twice: give one row of true aggregates per group`);
    }
    byKey.set(key, row);
  }
  return byKey;
}

function chooseGroups(byKey: Map<string, Record<string, Cell>>, spec: NoisyTableSpec, rng: RandomSource): Groups {
  const { dimensions, publicGroups, people, maxGroupsPerPerson, budget } = spec;
  if (dimensions.length === 0) return { keys: [[]], selected: null, selection: { kind: 'none' } };
  if (publicGroups !== undefined) {
    const values = dimensions.map((d) => {
      const list = publicGroups[d];
      if (list === undefined) throw new CleanRoomError('invalid_argument', `Cannot release dimension '${d}' as public: publicGroups has no values for it`);
      return list;
    });
    const combinations = values.reduce((n, list) => n * list.length, 1);
    if (combinations <= MAX_PUBLIC_GROUPS) {
      const keys = values.reduce<Key[]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
      return { keys, selected: null, selection: { kind: 'public' } };
    }
  }
  const { selectionEpsilon, selectionDelta } = budget;
  if (selectionEpsilon === undefined || selectionDelta === undefined) {
    throw new CleanRoomError('invalid_argument', `Cannot release groups by ${dimensions.join(', ')} as private keys without selectionEpsilon and selectionDelta: they pass DP partition selection`);
  }
  const candidates: [string, bigint][] = [];
  for (const [key, row] of [...byKey.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const count = wholeCell(row[people], people);
    if (count > 0n) candidates.push([key, count]);
  }
  const options = { epsilon: selectionEpsilon, delta: selectionDelta, maxGroupsPerPerson };
  const kept = selectPartitions(candidates, { ...options, rng });
  const { threshold } = partitionThreshold(options);
  return {
    keys: kept.map((p) => JSON.parse(p.key) as Key),
    selected: new Map(kept.map((p) => [p.key, { noisyCount: p.noisyCount, halfWidth: p.halfWidth }])),
    selection: { kind: 'noisy_threshold', threshold: Number(threshold), epsilon: toNumber(toRational(selectionEpsilon)), delta: toNumber(toRational(selectionDelta)) },
  };
}

function valuesShare(mechanism: NoisyTableSpec['mechanism'], budget: NoisyTableSpec['budget'], statistics: number): NoiseBudget {
  const total = mechanism === 'laplace' ? budget.epsilon : budget.rho;
  if (total === undefined) {
    throw new CleanRoomError('invalid_argument', `Cannot noise ${statistics} statistic(s) under the ${mechanism} mechanism without budget.${mechanism === 'laplace' ? 'epsilon' : 'rho'}`);
  }
  const each = div(toRational(total), rational(BigInt(statistics)));
  return mechanism === 'laplace' ? { epsilon: each } : { rho: each };
}

function putCount(row: Record<string, Cell>, column: string, value: number, halfWidth: number): void {
  row[column] = Math.max(0, value);
  row[`${column}.low`] = Math.max(0, value - halfWidth);
  row[`${column}.high`] = Math.max(0, value + halfWidth);
}

/** A true count from a result cell: a whole number ≥ 0 (or its decimal text); NULL is 0. */
function wholeCell(cell: Cell | undefined, column: string): bigint {
  const value = stepsCell(cell, column);
  if (value < 0n) throw new CleanRoomError('invalid_argument', `Cannot add noise to count '${column}'=${value}: a count cannot be negative`);
  return value;
}

/** An integer from a result cell (a safe integer, or the decimal text of a big one); NULL is 0. */
function stepsCell(cell: Cell | undefined, column: string): bigint {
  if (cell === null || cell === undefined) return 0n;
  if (typeof cell === 'number' && Number.isSafeInteger(cell)) return BigInt(cell);
  if (typeof cell === 'string' && /^-?\d+$/.test(cell)) return BigInt(cell);
  throw new CleanRoomError('invalid_argument', `Cannot add noise to '${column}'=${String(cell)}: it must be a whole number`);
}

const nonNegative = (sum: NoisyTableSpec['sums'][number]): boolean => toNumber(toRational(sum.range.min)) >= 0;

const mechanismName = (mechanism: Mechanism): string => (mechanism.kind === 'discrete_laplace' ? 'discrete Laplace' : 'discrete Gaussian');
const parameterOf = (mechanism: Mechanism): string =>
  mechanism.kind === 'discrete_laplace' ? `scale=${formatRational(mechanism.scale, 6)}` : `σ²=${formatRational(mechanism.sigma2, 6)}`;

function countNote(what: string, mechanism: Mechanism): NoiseNote {
  const halfWidth = Number(noiseInterval95(mechanism).halfWidth);
  return mechanismNote(mechanism, halfWidth, `${what} (${mechanismName(mechanism)}, ${parameterOf(mechanism)}): 95% interval ±${halfWidth}; values below 0 shown as 0`);
}

function sumNote(sum: NoisyTableSpec['sums'][number], mechanism: Mechanism): NoiseNote {
  const halfWidth = fromFixedPoint(noiseInterval95(mechanism).halfWidth, sum.resolution);
  // The mechanism works in whole resolution steps; the label gives its scale in the sum's own
  // units first (what a reader compares with the values), then in steps.
  const step = toRational(sum.resolution);
  const unit = formatRational(step, 6);
  const parameter =
    mechanism.kind === 'discrete_laplace'
      ? `scale=${formatRational(mul(mechanism.scale, step), 6)} (${formatRational(mechanism.scale, 6)} steps of ${unit})`
      : `σ=${formatNumber(Math.sqrt(toNumber(mechanism.sigma2)) * toNumber(step))} (σ²=${formatRational(mechanism.sigma2, 6)} in steps of ${unit})`;
  return mechanismNote(mechanism, halfWidth, `noisy sum (${mechanismName(mechanism)}, ${parameter}): 95% interval ±${halfWidth}${nonNegative(sum) ? '; values below 0 shown as 0' : ''}`);
}

/** A positive number to about 6 significant digits, without exponent notation for everyday sizes. */
function formatNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

function mechanismNote(mechanism: Mechanism, halfWidth: number, label: string): NoiseNote {
  return { mechanism: mechanism.kind, parameter: parameterOf(mechanism), confidence: 0.95, method: noiseInterval95(mechanism).method, halfWidth, label };
}

function selectionNote(spec: NoisyTableSpec): NoiseNote {
  const options = { epsilon: spec.budget.selectionEpsilon!, delta: spec.budget.selectionDelta!, maxGroupsPerPerson: spec.maxGroupsPerPerson };
  const { threshold, scale } = partitionThreshold(options);
  const mechanism: Mechanism = { kind: 'discrete_laplace', scale };
  const halfWidth = Number(noiseInterval95(mechanism).halfWidth);
  const label = `noisy count of people from partition selection (discrete Laplace, ${parameterOf(mechanism)}): 95% interval ±${halfWidth}; a group is released only when it reaches ${threshold}, so counts near ${threshold} tend to be high`;
  return mechanismNote(mechanism, halfWidth, label);
}

/**
 * The values a mean can take: a mean per row lies in the sum's range; a mean per person
 * (÷ people) sums up to m rows each, so it lies in [min(min, m·min), max(max, m·max)].
 */
function meanRange(spec: NoisyTableSpec, mean: NoisyTableSpec['means'][number]): { low: number; high: number } {
  const sum = spec.sums.find((s) => s.column === mean.sum);
  if (sum === undefined) throw new CleanRoomError('invalid_argument', `Cannot derive mean '${mean.column}' from '${mean.sum}': it is not one of the table's sums`);
  const min = toNumber(toRational(sum.range.min));
  const max = toNumber(toRational(sum.range.max));
  if (mean.count === spec.people) {
    const m = sum.maxRowsPerGroup;
    const low = Math.min(min, m * min);
    const high = Math.max(max, m * max);
    if (sum.personTotal === undefined) return { low, high };
    // Each person's total is also clamped to personTotal.
    const t = { low: toNumber(toRational(sum.personTotal.min)), high: toNumber(toRational(sum.personTotal.max)) };
    return { low: Math.max(low, Math.min(t.low, high)), high: Math.min(high, Math.max(t.high, low)) };
  }
  if (spec.counts.some((c) => c.column === mean.count)) return { low: min, high: max };
  throw new CleanRoomError('invalid_argument', `Cannot derive mean '${mean.column}' from '${mean.count}': it is not one of the table's counts`);
}

function derivedMean(row: Record<string, Cell>, mean: NoisyTableSpec['means'][number], range: { low: number; high: number }): [Cell, Cell, Cell] {
  const n = (column: string): number => Number(row[column]);
  const count = n(mean.count);
  if (!(count > 0)) return [null, null, null];
  const clamp = (x: number): number => Math.min(range.high, Math.max(range.low, x));
  const value = clamp(n(mean.sum) / count);
  const countLow = n(`${mean.count}.low`);
  if (!(countLow > 0)) return [value, range.low, range.high];
  const ends = [n(`${mean.sum}.low`), n(`${mean.sum}.high`)].flatMap((s) => [s / countLow, s / n(`${mean.count}.high`)]);
  return [value, clamp(Math.min(...ends)), clamp(Math.max(...ends))];
}
