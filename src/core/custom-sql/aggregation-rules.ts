/**
 * What a data owner lets others compute over its datasets with their own SQL: an
 * aggregation rule in the spirit of the clean rooms that pioneered it. Plain data, built
 * from a template by a later step and frozen before it reaches {@link checkCustomSql}.
 */

/**
 * Aggregates the checker can ever allow; everything else (min, max, list, …) is refused.
 *
 * @example
 * ```ts
 * AGGREGATES.includes('sum'); // true
 * ```
 */
export const AGGREGATES = ['count', 'count_distinct', 'sum', 'avg'] as const;

/**
 * One allowed aggregate. `count_distinct` is `count(DISTINCT x)`.
 *
 * @example
 * ```ts
 * const people: AggregateName = 'count_distinct';
 * ```
 */
export type AggregateName = (typeof AGGREGATES)[number];

/**
 * A column's value type, as far as the checker needs it. A column without one is text.
 *
 * @example
 * ```ts
 * const day: ColumnRule = { dimension: true, type: 'date' };
 * ```
 */
export type ColumnType = 'text' | 'number' | 'date' | 'timestamp' | 'boolean';

/**
 * What one column may be used for. A column with no ability listed is known but unusable
 * (identifiers that are not match keys, person keys).
 *
 * @example
 * ```ts
 * const email: ColumnRule = { join: true, aggregates: ['count_distinct'] }; // a match key
 * const region: ColumnRule = { dimension: true };                           // group and filter
 * const revenue: ColumnRule = { aggregates: ['sum', 'avg'] };               // a measure
 * ```
 */
export interface ColumnRule {
  /** A match key: may appear in an inner equality join condition. */
  join?: boolean;
  /** May be grouped on, filtered on, and output as a group key (implies count, count_distinct). */
  dimension?: boolean;
  /** Aggregates allowed over this column. A match key may allow only `count_distinct` here. */
  aggregates?: readonly AggregateName[];
  /** The value type (default 'text'): text read from rows may not be compared with another type. */
  type?: ColumnType;
}

/**
 * The rule for one dataset view of the collaboration.
 *
 * @example
 * ```ts
 * const exposures: DatasetRule = { owner: 'publisher', columns: { email: { join: true }, campaign: { dimension: true } } };
 * ```
 */
export interface DatasetRule {
  /** The party that contributed it. */
  owner: string;
  /** Column name (lower-case) → what it may be used for. Columns not listed are unknown. */
  columns: Readonly<Record<string, ColumnRule>>;
}

/**
 * The rules a custom query is checked against.
 *
 * @example
 * ```ts
 * const rules: AggregationRules = {
 *   datasets: { exposures, transactions },
 *   runner: 'retailer',
 *   mustJoinOwnData: true,
 * };
 * ```
 */
export interface AggregationRules {
  /** Dataset view name (lower-case) → its rule. Only these tables may be read. */
  datasets: Readonly<Record<string, DatasetRule>>;
  /** Scalar functions allowed anywhere a column may appear; defaults to {@link DEFAULT_SCALAR_FUNCTIONS}. */
  scalarFunctions?: readonly string[];
  /** The party running the query. */
  runner?: string;
  /** When true, the query must read a dataset of the runner and join it to another party's. */
  mustJoinOwnData?: boolean;
}

/**
 * The default allow-list of scalar functions: none can fail on a row's value, so an error
 * cannot tell whether some row holds some value. Arithmetic operators (`+`, `-`, `*`, `/`,
 * which DuckDB serializes as functions) and `abs` can overflow and are left out; a rule may
 * add them knowingly. `cast` stands for TRY_CAST, and CAST of constants (CAST of a column is
 * refused: it can fail).
 *
 * @example
 * ```ts
 * DEFAULT_SCALAR_FUNCTIONS.includes('date_trunc'); // true
 * ```
 */
export const DEFAULT_SCALAR_FUNCTIONS: readonly string[] = Object.freeze([
  'lower', 'upper', 'date_trunc', 'year', 'month', 'coalesce', 'round', 'cast',
]);
