import type { SqlAnalysis, Template } from '../api/types.js';

/** What one column may be used for in a custom query, as a person reads the rule. */
export interface SqlColumnSummary {
  /** `dataset.column`. */
  ref: string;
  /** Who brings the dataset. */
  owner: string;
  join: boolean;
  dimension: boolean;
  aggregates: string[];
  /** The rule was written in the template (not a default from the column's role). */
  declared: boolean;
}

/** The functions custom SQL may call when the template names none (the checker's default list). */
const DEFAULT_SCALARS = ['lower', 'upper', 'date_trunc', 'year', 'month', 'coalesce', 'round', 'cast'];

/**
 * The rules of a `sql` analysis per column, as SqlAnalysis documents them: a column the
 * template lists gets its rule; any other from its role — single-kind match-key
 * identifiers may be joined on (and counted distinct), dimensions and timestamps grouped
 * and filtered on, measures counted, summed and averaged; other identifiers and person
 * keys nothing. Also the scalar functions allowed and whether the runner's own data must
 * be joined.
 *
 * @example
 * ```ts
 * sqlRules(template, template.analyses.custom_sql as SqlAnalysis).columns.find((c) => c.ref === 'readers.segment');
 * // { ref: 'readers.segment', owner: 'publisher', join: false, dimension: true, aggregates: [], declared: false }
 * ```
 */
export function sqlRules(template: Template, analysis: SqlAnalysis): { columns: SqlColumnSummary[]; scalarFunctions: string[]; mustJoinOwnData: boolean } {
  const singleKeys = new Set(template.identity.matchKeys.filter((key) => key.length === 1).map((key) => key[0]));
  const columns: SqlColumnSummary[] = [];
  for (const dataset of analysis.datasets) {
    const spec = template.datasets[dataset];
    if (spec === undefined) continue;
    for (const [column, c] of Object.entries(spec.columns)) {
      const ref = `${dataset}.${column}`;
      const rule = analysis.rules.columns[ref];
      if (rule !== undefined) {
        columns.push({ ref, owner: spec.owner, join: rule.join === true, dimension: rule.dimension === true, aggregates: [...(rule.aggregates ?? [])], declared: true });
        continue;
      }
      const join = c.role === 'identifier' && c.identifier !== undefined && singleKeys.has(c.identifier);
      const dimension = c.role === 'dimension' || c.role === 'timestamp';
      const aggregates = join ? ['count_distinct'] : c.role === 'measure' ? ['count', 'sum', 'avg'] : [];
      columns.push({ ref, owner: spec.owner, join, dimension, aggregates, declared: false });
    }
  }
  return { columns, scalarFunctions: analysis.rules.scalarFunctions ?? DEFAULT_SCALARS, mustJoinOwnData: analysis.rules.mustJoinOwnData };
}
