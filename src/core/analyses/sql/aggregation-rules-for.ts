import type { AggregationRules, ColumnRule, ColumnType as RuleType, DatasetRule } from '../../custom-sql/index.js';
import { CleanRoomError } from '../../errors.js';
import type { ColumnSpec, SqlAnalysis, SqlColumnRule, Template } from '../../template/index.js';

const RULE_TYPES: Readonly<Record<ColumnSpec['type'], RuleType>> = Object.freeze({
  string: 'text',
  integer: 'number',
  decimal: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
});

/**
 * The aggregation rules a sql analysis's queries are checked against, for one running party:
 * the analysis's datasets (their views are the only tables a query may read), each column's
 * rule from the analysis's `rules.columns` or, for a column not listed, from its role —
 * single-kind match-key identifiers `join` and `count_distinct`; dimensions and timestamps
 * `dimension`; measures `count`, `sum`, `avg`; other identifiers and person keys known but
 * unusable; columns without a role absent (unknown) — and each column's type from the
 * template. The runner's roles count as one owner, so `mustJoinOwnData` asks for a dataset
 * of the running party joined with another party's.
 *
 * @example
 * ```ts
 * const rules = aggregationRulesFor(template, 'custom_sql', ['retailer']);
 * rules.datasets.purchases?.columns.amount; // { aggregates: ['count', 'sum', 'avg'], type: 'number' }
 * rules.datasets.readers?.columns.email;    // { join: true, aggregates: ['count_distinct'], type: 'text' }
 * ```
 */
export function aggregationRulesFor(template: Template, analysisName: string, runnerRoles: readonly string[]): AggregationRules {
  const analysis = Object.hasOwn(template.analyses, analysisName) ? template.analyses[analysisName] : undefined;
  if (analysis?.kind !== 'sql') {
    throw new CleanRoomError('invalid_argument', `Cannot build aggregation rules for analysis '${analysisName}': it is not a sql analysis of template ${template.name}`, {
      details: { field: 'analysis' },
    });
  }
  const runner = runnerRoles[0] ?? '';
  const datasets: Record<string, DatasetRule> = Object.create(null) as Record<string, DatasetRule>;
  for (const dataset of analysis.datasets) {
    const spec = template.datasets[dataset]!;
    const columns: Record<string, ColumnRule> = Object.create(null) as Record<string, ColumnRule>;
    for (const [name, column] of Object.entries(spec.columns)) {
      const rule = columnRule(template, analysis, `${dataset}.${name}`, column);
      if (rule !== undefined) columns[name] = Object.freeze(rule);
    }
    datasets[dataset] = Object.freeze({ owner: runnerRoles.includes(spec.owner) ? runner : spec.owner, columns: Object.freeze(columns) });
  }
  return Object.freeze({
    datasets: Object.freeze(datasets),
    ...(analysis.rules.scalarFunctions !== undefined ? { scalarFunctions: Object.freeze([...analysis.rules.scalarFunctions]) } : {}),
    runner,
    mustJoinOwnData: analysis.rules.mustJoinOwnData !== false,
  });
}

function columnRule(template: Template, analysis: SqlAnalysis, ref: string, column: ColumnSpec): ColumnRule | undefined {
  const type = RULE_TYPES[column.type];
  const listed: SqlColumnRule | undefined = Object.hasOwn(analysis.rules.columns, ref) ? analysis.rules.columns[ref] : undefined;
  if (listed !== undefined) {
    return {
      ...(listed.join === true ? { join: true } : {}),
      ...(listed.dimension === true ? { dimension: true } : {}),
      ...(listed.aggregates !== undefined ? { aggregates: Object.freeze([...listed.aggregates]) } : {}),
      type,
    };
  }
  switch (column.role) {
    case 'identifier':
      return isMatchKey(template, column) ? { join: true, aggregates: ['count_distinct'], type } : { type };
    case 'person_key':
      return { type };
    case 'dimension':
    case 'timestamp':
      return { dimension: true, type };
    case 'measure':
      return { aggregates: ['count', 'sum', 'avg'], type };
    default:
      return undefined;
  }
}

function isMatchKey(template: Template, column: ColumnSpec): boolean {
  return column.identifier !== undefined && template.identity.matchKeys.some((key) => key.length === 1 && key[0] === column.identifier);
}
