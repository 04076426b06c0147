import type { AggregationRules, ColumnRule } from './aggregation-rules.js';
import type { ColumnUse } from './checked-query.js';
import { asArray, refuse } from './refuse.js';
import type { TreeNode } from './refuse.js';

/**
 * A column reference resolved to its dataset, column and rule.
 *
 * @example
 * ```ts
 * const r: ResolvedColumn = { alias: 'c', dataset: 'customers', column: 'region', rule: { dimension: true } };
 * ```
 */
export interface ResolvedColumn extends ColumnUse {
  alias: string;
  rule: ColumnRule;
}

/**
 * The tables of one FROM clause by alias, and how a column reference resolves among them.
 * Names are compared lower-case, as DuckDB does even for quoted identifiers.
 *
 * @example
 * ```ts
 * const scope = new TableScope(rules);
 * scope.add('e', 'exposures', 'from_table');
 * scope.resolve({ class: 'COLUMN_REF', type: 'COLUMN_REF', column_names: ['e', 'campaign'] }, 'select_list[0]');
 * ```
 */
export class TableScope {
  readonly #rules: AggregationRules;
  readonly #tables = new Map<string, string>();

  constructor(rules: AggregationRules) {
    this.#rules = rules;
  }

  /** Register a table reference; two references may not share an alias. */
  add(alias: string, dataset: string, path: string): void {
    if (this.#tables.has(alias)) refuse('duplicate-alias', path, `the alias ${alias} is used twice`);
    this.#tables.set(alias, dataset);
  }

  get tables(): { alias: string; dataset: string }[] {
    return [...this.#tables].map(([alias, dataset]) => ({ alias, dataset }));
  }

  /** True when some table in scope has a column of that name. */
  hasColumn(column: string): boolean {
    return [...this.#tables.values()].some((dataset) => Object.hasOwn(this.#rules.datasets[dataset]?.columns ?? {}, column));
  }

  /** Resolve a COLUMN_REF node, or refuse an unknown, ambiguous or over-qualified reference. */
  resolve(node: TreeNode, path: string): ResolvedColumn {
    const names = asArray(node.column_names, path).map((n) => (typeof n === 'string' ? n.toLowerCase() : ''));
    const where = `${path} COLUMN_REF`;
    if (names.length === 2) return this.#lookup(names[0]!, names[1]!, where);
    if (names.length !== 1) refuse('qualified-column', where, `column ${names.join('.')} must be written as column or table.column`, names.join('.'));
    const column = names[0]!;
    const owners = [...this.#tables.keys()].filter((alias) => this.#columnRule(alias, column) !== undefined);
    if (owners.length === 0) refuse('unknown-column', where, `column ${column} is not a column of the datasets read`, column);
    if (owners.length > 1) refuse('ambiguous-column', where, `column ${column} is in more than one table; qualify it`, column);
    return this.#lookup(owners[0]!, column, where);
  }

  #lookup(alias: string, column: string, where: string): ResolvedColumn {
    const dataset = this.#tables.get(alias);
    if (dataset === undefined) refuse('unknown-column', where, `table ${alias} of column ${alias}.${column} is not in FROM`, `${alias}.${column}`);
    const rule = this.#columnRule(alias, column);
    if (rule === undefined) refuse('unknown-column', where, `column ${column} is not a column of dataset ${dataset}`, `${dataset}.${column}`);
    return { alias, dataset, column, rule };
  }

  #columnRule(alias: string, column: string): ColumnRule | undefined {
    const dataset = this.#tables.get(alias);
    if (dataset === undefined) return undefined;
    const columns = this.#rules.datasets[dataset]?.columns;
    return columns !== undefined && Object.hasOwn(columns, column) ? columns[column] : undefined;
  }
}
