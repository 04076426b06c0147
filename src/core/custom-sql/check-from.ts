import type { AggregationRules } from './aggregation-rules.js';
import type { ColumnUse } from './checked-query.js';
import { asArray, asNode, expectKeys, lowerField, nodeType, refuse } from './refuse.js';
import type { TreeNode } from './refuse.js';
import { TableScope } from './table-scope.js';

const BASE_TABLE_KEYS = ['sample', 'schema_name', 'table_name', 'column_name_alias', 'catalog_name', 'at_clause'];
const JOIN_KEYS = ['sample', 'left', 'right', 'condition', 'join_type', 'ref_type', 'using_columns', 'delim_flipped', 'duplicate_eliminated_columns'];

/** Rule codes for table references that are not a dataset view or an inner join. */
const REF_RULES: Record<string, [string, string]> = {
  TABLE_FUNCTION: ['table-function', 'table functions are not allowed'],
  SUBQUERY: ['subquery', 'subqueries in FROM are not allowed'],
  EXPRESSION_LIST: ['values-list', 'VALUES lists are not allowed'],
  EMPTY: ['no-table', 'the query must read a dataset'],
};

/**
 * The FROM clause of an accepted query.
 *
 * @example
 * ```ts
 * const { scope, joins }: CheckedFrom = checkFrom(node.from_table, rules);
 * ```
 */
export interface CheckedFrom {
  scope: TableScope;
  joins: { left: ColumnUse; right: ColumnUse }[];
}

/**
 * Check a FROM clause: only the collaboration's dataset views, combined by inner joins whose
 * condition is one or more equalities (AND) between match-key columns of the two sides.
 *
 * @example
 * ```ts
 * const { scope, joins } = checkFrom(selectNode.from_table, rules);
 * joins[0]; // { left: { dataset: 'exposures', column: 'email' }, right: { dataset: 'transactions', column: 'email' } }
 * ```
 */
export function checkFrom(fromTable: unknown, rules: AggregationRules): CheckedFrom {
  const scope = new TableScope(rules);
  const joins: CheckedFrom['joins'] = [];
  visitRef(fromTable, 'from_table', rules, scope, joins);
  // DuckDB reads a bare table alias as the whole row: one named like a column is ambiguous.
  for (const { alias } of scope.tables) {
    if (scope.hasColumn(alias)) refuse('alias-shadows-column', 'from_table', `table alias ${alias} is also a column name`, alias);
  }
  return { scope, joins };
}

function visitRef(value: unknown, path: string, rules: AggregationRules, scope: TableScope, joins: CheckedFrom['joins']): string[] {
  const node = asNode(value, path);
  const type = nodeType(node);
  const where = `${path} ${type}`;
  if (type === 'BASE_TABLE') return [baseTable(node, where, rules, scope)];
  if (type !== 'JOIN') {
    const [rule, why] = REF_RULES[type] ?? ['table-ref-not-allowed', `table reference ${type} is not allowed`];
    const name = type === 'TABLE_FUNCTION' ? lowerField(asNode(node.function, path), 'function_name') : '';
    refuse(rule, where, name === '' ? why : `${why}: ${name}`);
  }
  expectKeys(node, JOIN_KEYS, path);
  if (node.sample !== null) refuse('sample', where, 'sampling is not allowed');
  if (lowerField(node, 'alias') !== '') refuse('join-alias', where, 'an aliased join is not allowed');
  if (node.ref_type === 'CROSS' || (node.ref_type === 'REGULAR' && node.condition === null && asArray(node.using_columns, path).length === 0)) {
    refuse('cross-join', where, 'cross joins are not allowed; join on a match key');
  }
  if (node.ref_type !== 'REGULAR') refuse('join-kind', where, `${String(node.ref_type)} joins are not allowed`);
  if (node.join_type !== 'INNER') refuse('outer-join', where, `${String(node.join_type)} joins are not allowed; only inner joins`);
  if (asArray(node.using_columns, path).length > 0) refuse('join-using', where, 'JOIN … USING is not allowed; write ON a.key = b.key');
  if (asArray(node.duplicate_eliminated_columns, path).length > 0 || node.delim_flipped !== false) refuse('join-kind', where, 'this join form is not allowed');
  const left = visitRef(node.left, `${path}.left`, rules, scope, joins);
  const right = visitRef(node.right, `${path}.right`, rules, scope, joins);
  joinCondition(node.condition, `${path}.condition`, scope, { left, right }, joins);
  return [...left, ...right];
}

function baseTable(node: TreeNode, where: string, rules: AggregationRules, scope: TableScope): string {
  expectKeys(node, BASE_TABLE_KEYS, where);
  const name = lowerField(node, 'table_name');
  if (lowerField(node, 'catalog_name') !== '' || lowerField(node, 'schema_name') !== '') refuse('qualified-table', where, `table ${name} must be named without database or schema`);
  if (node.at_clause !== null) refuse('time-travel', where, `time travel on ${name} is not allowed`);
  if (node.sample !== null) refuse('sample', where, `sampling ${name} is not allowed`);
  if (asArray(node.column_name_alias, where).length > 0) refuse('column-alias', where, `renaming the columns of ${name} is not allowed`);
  if (!Object.hasOwn(rules.datasets, name)) refuse('unknown-table', where, `table ${name} is not a dataset of this collaboration`);
  const alias = lowerField(node, 'alias') || name;
  scope.add(alias, name, where);
  return alias;
}

function joinCondition(value: unknown, path: string, scope: TableScope, sides: { left: string[]; right: string[] }, joins: CheckedFrom['joins']): void {
  const node = asNode(value, path);
  const where = `${path} ${nodeType(node)}`;
  if (node.class === 'CONJUNCTION' && node.type === 'CONJUNCTION_AND') {
    expectKeys(node, ['children'], path);
    asArray(node.children, path).forEach((child, i) => joinCondition(child, `${path}.children[${i}]`, scope, sides, joins));
    return;
  }
  if (node.class !== 'COMPARISON' || node.type !== 'COMPARE_EQUAL') refuse('join-condition', where, 'a join condition may only be equalities between match keys, joined by AND');
  expectKeys(node, ['left', 'right'], path);
  const a = asNode(node.left, `${path}.left`);
  const b = asNode(node.right, `${path}.right`);
  if (a.class !== 'COLUMN_REF' || b.class !== 'COLUMN_REF') refuse('join-condition', where, 'a join condition may only compare two columns, without functions');
  const ra = scope.resolve(a, `${path}.left`);
  const rb = scope.resolve(b, `${path}.right`);
  for (const r of [ra, rb]) {
    if (r.rule.join !== true) refuse('join-column', where, `column ${r.dataset}.${r.column} is not a match key and may not be joined on`, `${r.dataset}.${r.column}`);
  }
  if ((ra.rule.type ?? 'text') !== (rb.rule.type ?? 'text')) refuse('type-mismatch', where, `join keys ${ra.dataset}.${ra.column} and ${rb.dataset}.${rb.column} have different types`);
  const crosses = (sides.left.includes(ra.alias) && sides.right.includes(rb.alias)) || (sides.right.includes(ra.alias) && sides.left.includes(rb.alias));
  if (!crosses) refuse('join-condition', where, 'each equality must compare a column of each side of the join');
  joins.push({ left: { dataset: ra.dataset, column: ra.column }, right: { dataset: rb.dataset, column: rb.column } });
}
