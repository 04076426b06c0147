import type { AggregateName } from './aggregation-rules.js';

/**
 * What the checker returns: a refusal naming the rule, the tree node and the column (never a
 * data value), or the plan of an accepted query.
 */

/**
 * Why a query was refused.
 *
 * @example
 * ```ts
 * const r: CustomSqlRefusal = { rule: 'aggregate-not-allowed', node: 'select_list[0] FUNCTION max', column: 'a.revenue', message: 'Cannot run the custom SQL: aggregate max is not allowed' };
 * ```
 */
export interface CustomSqlRefusal {
  /** A stable rule code, e.g. 'identifier-column', 'window-function', 'unknown-table'. */
  rule: string;
  /** Where in DuckDB's tree: a path and the node's type. */
  node: string;
  /** `dataset.column` when a column is involved. */
  column?: string;
  message: string;
}

/**
 * A column of a dataset, as the plan names it.
 *
 * @example
 * ```ts
 * const use: ColumnUse = { dataset: 'customers', column: 'region' };
 * ```
 */
export interface ColumnUse {
  dataset: string;
  column: string;
}

/**
 * One output column of an accepted query.
 *
 * @example
 * ```ts
 * const out: CheckedOutput = { name: 'n', kind: 'aggregate', aggregates: ['count_distinct'], columns: [{ dataset: 'a', column: 'email' }] };
 * ```
 */
export interface CheckedOutput {
  name: string;
  /** A group key (one value per released row), an aggregate, or a constant. */
  kind: 'group_key' | 'aggregate' | 'constant';
  aggregates: AggregateName[];
  columns: ColumnUse[];
}

/**
 * An accepted query: enough for a later step to threshold every output row on distinct
 * people of each protected party, and the very tree that was checked, to execute it.
 *
 * @example
 * ```ts
 * const plan: CheckedQuery = { datasets: ['a', 'b'], tables: [{ alias: 'a', dataset: 'a' }], joins: [], outputs: [], tree };
 * ```
 */
export interface CheckedQuery {
  /** Distinct datasets read. */
  datasets: string[];
  /** Each table reference of FROM: its alias (or name) and dataset. */
  tables: { alias: string; dataset: string }[];
  /** Equality join conditions, each between two match-key columns. */
  joins: { left: ColumnUse; right: ColumnUse }[];
  outputs: CheckedOutput[];
  /** The checked `json_serialize_sql` tree, to hand to `json_execute_serialized_sql`. */
  tree: unknown;
}

/**
 * The checker's answer.
 *
 * @example
 * ```ts
 * const result: CustomSqlCheck = checkCustomSql(tree, rules);
 * if (!result.ok) console.log(result.refusal.rule);
 * ```
 */
export type CustomSqlCheck = { ok: true; plan: CheckedQuery } | { ok: false; refusal: CustomSqlRefusal };
