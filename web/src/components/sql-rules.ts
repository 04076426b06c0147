import { aggregationRulesFor } from '../../../src/core/analyses/sql/aggregation-rules-for.js';
import { DEFAULT_SCALAR_FUNCTIONS } from '../../../src/core/custom-sql/aggregation-rules.js';
import type { Template } from '../api/types.js';

/** What one column may be used for in a custom query, as a person reads the rule. */
export interface SqlColumnSummary {
  /** `dataset.column`. */
  ref: string;
  /** The role that brings the dataset. */
  owner: string;
  join: boolean;
  dimension: boolean;
  aggregates: string[];
}

/**
 * The rules a `sql` analysis's queries are checked against, per column, for the running
 * roles — built by core's `aggregationRulesFor`, the function the server checks with, so
 * the summary beside the editor is the rule itself: a column the template lists gets its
 * rule, any other its role's default. Columns no query may read are listed too (`join`,
 * `dimension` false, no aggregates). Also the scalar functions allowed and whether the
 * runner's own data must be joined.
 *
 * @example
 * ```ts
 * sqlRules(template, 'custom_sql', ['retailer']).columns.find((c) => c.ref === 'readers.segment');
 * // { ref: 'readers.segment', owner: 'publisher', join: false, dimension: true, aggregates: [] }
 * ```
 */
export function sqlRules(template: Template, analysis: string, roles: readonly string[]): { columns: SqlColumnSummary[]; scalarFunctions: string[]; mustJoinOwnData: boolean } {
  const rules = aggregationRulesFor(template, analysis, roles);
  const columns: SqlColumnSummary[] = [];
  for (const [dataset, rule] of Object.entries(rules.datasets)) {
    const owner = template.datasets[dataset]?.owner ?? rule.owner;
    for (const column of Object.keys(template.datasets[dataset]?.columns ?? {})) {
      const c = rule.columns[column];
      columns.push({ ref: `${dataset}.${column}`, owner, join: c?.join === true, dimension: c?.dimension === true, aggregates: [...(c?.aggregates ?? [])] });
    }
  }
  return { columns, scalarFunctions: [...(rules.scalarFunctions ?? DEFAULT_SCALAR_FUNCTIONS)], mustJoinOwnData: rules.mustJoinOwnData === true };
}
