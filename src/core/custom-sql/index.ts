/**
 * Custom SQL: the checker that decides, on DuckDB's own syntax tree, whether a party's own
 * query may run under the data owners' aggregation rules. See docs/custom-sql.md.
 *
 * @example
 * ```ts
 * import { checkCustomSql } from './core/custom-sql/index.js';
 * const result = checkCustomSql(tree, rules);
 * ```
 */
export { checkCustomSql } from './check-custom-sql.js';
export { AGGREGATES, DEFAULT_SCALAR_FUNCTIONS } from './aggregation-rules.js';
export type { AggregateName, AggregationRules, ColumnRule, ColumnType, DatasetRule } from './aggregation-rules.js';
export type { CheckedOutput, CheckedQuery, ColumnUse, CustomSqlCheck, CustomSqlRefusal } from './checked-query.js';
