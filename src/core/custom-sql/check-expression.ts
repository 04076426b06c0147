import type { AggregateName } from './aggregation-rules.js';
import type { ColumnUse } from './checked-query.js';
import { asArray, asNode, expectKeys, lowerField, nodeType, refuse } from './refuse.js';
import type { TreeNode } from './refuse.js';
import type { ResolvedColumn, TableScope } from './table-scope.js';
import { requireCondition, sameKind } from './value-kind.js';

/**
 * Where an expression sits: aggregates are allowed in the select list and HAVING only.
 *
 * @example
 * ```ts
 * const place: ExpressionPlace = 'where';
 * ```
 */
export type ExpressionPlace = 'select' | 'where' | 'group' | 'having';

/**
 * What an expression uses, gathered while checking it.
 *
 * @example
 * ```ts
 * // count(DISTINCT c.email) → { plain: [], aggregated: [{ dataset: 'customers', column: 'email' }], aggregates: ['count_distinct'] }
 * ```
 */
export interface ExpressionUse {
  /** Columns outside any aggregate (each a dimension). */
  plain: ColumnUse[];
  /** Columns inside an aggregate. */
  aggregated: ColumnUse[];
  aggregates: AggregateName[];
}

/** Aggregates that return one person's value or a list of values: named for a precise refusal. */
const VALUE_AGGREGATES = new Set([
  'min', 'max', 'any_value', 'first', 'last', 'arbitrary', 'arg_min', 'arg_max', 'argmin', 'argmax', 'min_by', 'max_by',
  'list', 'array_agg', 'string_agg', 'group_concat', 'listagg', 'histogram', 'mode', 'median', 'quantile', 'quantile_cont',
  'quantile_disc', 'approx_quantile', 'reservoir_quantile', 'mad', 'entropy', 'bit_and', 'bit_or', 'bit_xor', 'bool_and',
  'bool_or', 'product', 'kurtosis', 'skewness', 'bitstring_agg', 'approx_top_k', 'favg', 'fsum', 'sumkahan', 'kahan_sum',
]);

const OPERATORS = new Set(['OPERATOR_NOT', 'OPERATOR_IS_NULL', 'OPERATOR_IS_NOT_NULL', 'COMPARE_IN', 'COMPARE_NOT_IN']);
const FUNCTION_KEYS = ['function_name', 'schema', 'catalog', 'children', 'filter', 'order_bys', 'distinct', 'is_operator', 'export_state'];

interface Walk {
  scope: TableScope;
  scalars: ReadonlySet<string>;
  place: ExpressionPlace;
  use: ExpressionUse;
  /** The aggregate being walked inside, if any. */
  aggregate?: AggregateName;
}

/**
 * Check one expression against the allow-list: columns by their rule, scalar functions from
 * the allow-list, aggregates COUNT / COUNT DISTINCT / SUM / AVG over allowed columns only.
 * Refuses (throws RefusedQuery) on the first problem; returns what the expression uses.
 *
 * @example
 * ```ts
 * const use = checkExpression(node.select_list[0], 'select_list[0]', { scope, scalars, place: 'select' });
 * use.aggregates; // ['count_distinct']
 * ```
 */
export function checkExpression(value: unknown, path: string, options: { scope: TableScope; scalars: ReadonlySet<string>; place: ExpressionPlace }): ExpressionUse {
  const use: ExpressionUse = { plain: [], aggregated: [], aggregates: [] };
  walk(value, path, { ...options, use });
  return use;
}

function walk(value: unknown, path: string, w: Walk): void {
  const node = asNode(value, path);
  const type = nodeType(node);
  const where = `${path} ${type}`;
  switch (node.class) {
    case 'CONSTANT':
      expectKeys(node, ['value'], path);
      checkConstant(asNode(node.value, `${path}.value`), where);
      return;
    case 'COLUMN_REF':
      expectKeys(node, ['column_names'], path);
      useColumn(w.scope.resolve(node, path), where, w, false);
      return;
    case 'COMPARISON':
      expectKeys(node, ['left', 'right'], path);
      walk(node.left, `${path}.left`, w);
      walk(node.right, `${path}.right`, w);
      sameKind([node.left, node.right], w.scope, where);
      return;
    case 'CONJUNCTION':
      expectKeys(node, ['children'], path);
      walkAll(node.children, `${path}.children`, w);
      asArray(node.children, path).forEach((child, i) => requireCondition(child, w.scope, `${path}.children[${i}]`));
      return;
    case 'OPERATOR':
      expectKeys(node, ['children'], path);
      if (type === 'OPERATOR_COALESCE' ? !w.scalars.has('coalesce') : !OPERATORS.has(type)) refuse('operator-not-allowed', where, `operator ${type} is not allowed`);
      walkAll(node.children, `${path}.children`, w);
      if (type === 'OPERATOR_NOT') requireCondition(asArray(node.children, path)[0], w.scope, `${path}.children[0]`);
      if (type === 'COMPARE_IN' || type === 'COMPARE_NOT_IN' || type === 'OPERATOR_COALESCE') sameKind(asArray(node.children, path), w.scope, where);
      return;
    case 'BETWEEN':
      expectKeys(node, ['input', 'lower', 'upper'], path);
      for (const key of ['input', 'lower', 'upper']) walk(node[key], `${path}.${key}`, w);
      sameKind([node.input, node.lower, node.upper], w.scope, where);
      return;
    case 'CAST':
      expectKeys(node, ['child', 'cast_type', 'try_cast'], path);
      if (!w.scalars.has('cast')) refuse('function-not-allowed', where, 'CAST is not allowed');
      if (node.try_cast !== true && mentionsColumn(node.child)) refuse('cast-may-fail', where, 'CAST of a column can fail on one row and make the error an oracle; use TRY_CAST');
      walk(node.child, `${path}.child`, w);
      return;
    case 'CASE':
      expectKeys(node, ['case_checks', 'else_expr'], path);
      asArray(node.case_checks, path).forEach((check, i) => {
        const c = asNode(check, `${path}.case_checks[${i}]`);
        expectKeys(c, ['when_expr', 'then_expr'], `${path}.case_checks[${i}]`);
        walk(c.when_expr, `${path}.case_checks[${i}].when_expr`, w);
        requireCondition(c.when_expr, w.scope, `${path}.case_checks[${i}].when_expr`);
        walk(c.then_expr, `${path}.case_checks[${i}].then_expr`, w);
      });
      walk(node.else_expr, `${path}.else_expr`, w);
      sameKind([...asArray(node.case_checks, path).map((c) => asNode(c, path).then_expr), node.else_expr], w.scope, where);
      return;
    case 'FUNCTION':
      expectKeys(node, FUNCTION_KEYS, path);
      functionCall(node, path, w);
      return;
    case 'WINDOW':
      refuse('window-function', where, `window function ${lowerField(node, 'function_name')} is not allowed`);
    case 'SUBQUERY':
      refuse('subquery', where, 'subqueries are not allowed');
    case 'STAR':
      refuse('star', where, '* and COLUMNS(…) are not allowed; name the columns');
    case 'PARAMETER':
      refuse('parameter', where, 'parameters are not allowed in custom SQL');
    case 'POSITIONAL_REFERENCE':
      refuse('positional-reference', where, 'positional references are not allowed');
    default:
      refuse('expression-not-allowed', where, `expression ${String(node.class)} ${type} is not allowed`);
  }
}

function walkAll(children: unknown, path: string, w: Walk): void {
  asArray(children, path).forEach((child, i) => walk(child, `${path}[${i}]`, w));
}

function functionCall(node: TreeNode, path: string, w: Walk): void {
  const name = lowerField(node, 'function_name');
  const where = `${path} FUNCTION ${name}`;
  if (lowerField(node, 'schema') !== '' || lowerField(node, 'catalog') !== '') refuse('qualified-function', where, `function ${name} must be named without schema or database`);
  const aggregate = aggregateName(node, name, where);
  const children = asArray(node.children, path);
  if (aggregate === undefined) {
    if (VALUE_AGGREGATES.has(name)) refuse('aggregate-not-allowed', where, `aggregate ${name} can reveal one person's value; only count, count(DISTINCT), sum and avg are allowed`);
    if (!w.scalars.has(name)) refuse('function-not-allowed', where, `function ${name} is not on the allow-list`);
    if (node.distinct !== false || node.filter !== null || orderCount(node, path) > 0 || node.export_state !== false) refuse('function-not-allowed', where, `function ${name} may not take DISTINCT, FILTER or ORDER BY`);
    // A part name read from a row would fail on a bad value: an error oracle.
    if (name === 'date_trunc' && asNode(children[0], `${path}.children[0]`).class !== 'CONSTANT') refuse('function-argument', where, 'the first argument of date_trunc must be a constant');
    walkAll(children, `${path}.children`, w);
    return;
  }
  if (w.place === 'where' || w.place === 'group') refuse('aggregate-place', where, `aggregate ${name} is not allowed in ${w.place === 'where' ? 'WHERE' : 'GROUP BY'}`);
  if (orderCount(node, path) > 0 || node.export_state !== false) refuse('aggregate-not-allowed', where, `aggregate ${name} may not take ORDER BY or export its state`);
  w.use.aggregates.push(aggregate);
  if (node.filter !== null) {
    // The filter's columns are read per row inside the aggregate, not output as group keys.
    const inFilter: ExpressionUse = { plain: [], aggregated: [], aggregates: [] };
    walk(node.filter, `${path}.filter`, { ...w, place: 'where', use: inFilter });
    w.use.aggregated.push(...inFilter.plain);
    requireCondition(node.filter, w.scope, `${path}.filter`);
  }
  if (name === 'count_star') return;
  if (children.length !== 1) refuse('aggregate-not-allowed', where, `aggregate ${name} takes exactly one argument here`);
  // A bare column only: arithmetic, CAST or CASE over one person's value could fail (an
  // error oracle) or filter by a measure inside the aggregate.
  const child = asNode(children[0], `${path}.children[0]`);
  if (child.class !== 'COLUMN_REF') refuse('aggregate-argument', `${path}.children[0] ${nodeType(child)}`, `the argument of ${name} must be a column`);
  expectKeys(child, ['column_names'], `${path}.children[0]`);
  useColumn(w.scope.resolve(child, `${path}.children[0]`), `${path}.children[0] COLUMN_REF`, { ...w, aggregate }, true);
}

function mentionsColumn(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsColumn);
  if (value === null || typeof value !== 'object') return false;
  const node = value as TreeNode;
  return node.class === 'COLUMN_REF' || Object.values(node).some(mentionsColumn);
}

function aggregateName(node: TreeNode, name: string, where: string): AggregateName | undefined {
  if (name === 'count_star') return 'count';
  if (name === 'count') return node.distinct === true ? 'count_distinct' : 'count';
  if (name === 'sum' || name === 'avg') {
    if (node.distinct !== false) refuse('aggregate-not-allowed', where, `${name}(DISTINCT …) is not allowed`);
    return name;
  }
  return undefined;
}

function orderCount(node: TreeNode, path: string): number {
  const orders = asNode(node.order_bys, `${path}.order_bys`);
  return asArray(orders.orders, `${path}.order_bys`).length;
}

/**
 * Columns outside aggregates must be dimensions. Inside an aggregate (whose argument is always
 * a bare column), a dimension may be counted and a column aggregated as its rule lists.
 */
function useColumn(column: ResolvedColumn, where: string, w: Walk, direct: boolean): void {
  const { rule } = column;
  const name = `${column.dataset}.${column.column}`;
  const entry = { dataset: column.dataset, column: column.column };
  const identifier = rule.join === true || (rule.dimension !== true && (rule.aggregates ?? []).length === 0);
  if (w.aggregate === undefined) {
    if (rule.dimension === true) return void w.use.plain.push(entry);
    if (identifier) refuse('identifier-column', where, `column ${name} is an identifier and may only be used in a join condition${rule.join === true ? ' or counted distinct' : ''}`, name);
    refuse('measure-outside-aggregate', where, `column ${name} is a measure and may only be aggregated`, name);
  }
  const agg = w.aggregate;
  const counted = rule.dimension === true && (agg === 'count' || agg === 'count_distinct');
  const listed = (rule.aggregates ?? []).includes(agg) && (rule.join !== true || direct);
  if (counted || listed) return void w.use.aggregated.push(entry);
  if (identifier) refuse('identifier-column', where, `column ${name} is an identifier and may not be used inside ${agg}${direct ? '' : ' in an expression'}`, name);
  refuse('aggregate-not-allowed-on-column', where, `aggregate ${agg} is not allowed over column ${name}`, name);
}

/**
 * The tree travels as JSON through JavaScript numbers: an integer past 2^53 (BIGINT, HUGEINT,
 * wide DECIMAL) would change on the way, so what ran would not be what was checked.
 */
function checkConstant(value: TreeNode, where: string): void {
  const id = (value.type as TreeNode | null | undefined)?.id;
  if (id === 'DOUBLE' || id === 'FLOAT') return;
  const exact = (v: unknown): boolean =>
    typeof v === 'number' ? !Number.isInteger(v) || Number.isSafeInteger(v) : v === null || typeof v !== 'object' || Object.values(v).every(exact);
  if (!exact(value.value)) refuse('constant-precision', where, 'a numeric constant this large cannot be carried exactly; use a smaller one');
}
