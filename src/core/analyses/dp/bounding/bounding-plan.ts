import type { SqlParam } from '../../../engine-port.js';
import type { ValueRange } from '../../../privacy/dp/contribution-bounds.js';
import type { RationalLike } from '../../../privacy/dp/rational.js';

/**
 * One value a side adds up, already in whole resolution steps in its inner SELECT (see
 * `stepsSql`), with the cap on each person's total in a group when the template sets one.
 *
 * @example
 * ```ts
 * const amount: BoundedValue = { column: '"purchases.amount"', output: '"purchases.amount.steps"', resolution: 0.01 };
 * ```
 */
export interface BoundedValue {
  /** Its column in the side's inner SELECT (quoted as needed). */
  column: string;
  /** Its column in the result: the sum of the kept steps per group. */
  output: string;
  resolution: RationalLike;
  personTotal?: ValueRange;
}

/**
 * One side of a bounded aggregation: the compiler's inner SELECT of the side's rows, each
 * with its `person`, the side's group keys and values, and how its rows are bounded.
 *
 * @example
 * ```ts
 * const side: BoundingSide = { dataset: 'readers', rows: { sql: 'SELECT … AS person, x."segment" AS "readers.segment" FROM "readers" x', params: [] }, keys: ['"readers.segment"'], values: [], keep: 'values' };
 * ```
 */
export interface BoundingSide {
  /** The dataset whose person `person` is: it names the side's column of the match table. */
  dataset: string;
  /** The inner SELECT: `person`, then the `keys` and every column `values` and `order` read. */
  rows: { sql: string; params: SqlParam[] };
  keys: string[];
  values: BoundedValue[];
  /**
   * The m bound of a pair (person, group) above m rows: `values` keeps each value's m
   * non-NULL values of smallest keyed hash; `rows` keeps the m rows of smallest keyed hash,
   * and every value sums those rows.
   */
  keep: 'values' | 'rows';
  /** The columns after the person that key the row hash; default the values. */
  order?: string[];
  /** Output columns of the kept rows: `rows` their count per group, `people` the people with at least one. */
  counts?: { rows: string; people: string };
}

/**
 * What `boundingSql` bounds and aggregates: its sides, how their people meet, the bounds.
 *
 * @example
 * ```ts
 * const plan: BoundingPlan = { people: { matched: ['readers', 'purchases'] }, sides, byMatchKey: false, maxGroupsPerPerson: 1, maxRowsPerGroup: 2, seed };
 * ```
 */
export interface BoundingPlan {
  /**
   * `matched`: each side's `person` is its own dataset's, tied to the privacy unit (the first
   * dataset's person) through the match table of the pair; only matched people count.
   * `first side`: every side's `person` already is the unit and the first side lists the
   * people; the others join it (a person without rows there counts with nothing).
   */
  people: { matched: readonly [string, string] } | 'first side';
  sides: BoundingSide[];
  /** Also group by the match key that matched each person (`key`: its 0-based index); `matched` only. */
  byMatchKey: boolean;
  /** k: groups kept per person. */
  maxGroupsPerPerson: number;
  /** m: rows kept per person in each group of a side. */
  maxRowsPerGroup: number;
  /** A fresh random per-run seed (`runSeed`), bound as a parameter. */
  seed: string;
}
