import { DEFAULT_SCALAR_FUNCTIONS } from './aggregation-rules.js';
import type { AggregationRules } from './aggregation-rules.js';
import type { CheckedOutput, CheckedQuery, CustomSqlCheck } from './checked-query.js';
import { checkExpression } from './check-expression.js';
import { checkFrom } from './check-from.js';
import { asArray, asNode, expectKeys, lowerField, nodeType, refuse, RefusedQuery } from './refuse.js';
import type { TreeNode } from './refuse.js';
import type { TableScope } from './table-scope.js';
import { requireCondition } from './value-kind.js';

const SELECT_KEYS = ['modifiers', 'cte_map', 'select_list', 'from_table', 'where_clause', 'group_expressions', 'group_sets', 'aggregate_handling', 'having', 'sample', 'qualify'];

const MODIFIER_RULES: Record<string, [string, string]> = {
  ORDER_MODIFIER: ['order-by', 'ORDER BY is not allowed; sort the released rows instead'],
  LIMIT_MODIFIER: ['limit', 'LIMIT/OFFSET is not allowed: it chooses which groups are released'],
  LIMIT_PERCENT_MODIFIER: ['limit', 'LIMIT … PERCENT is not allowed: it chooses which groups are released'],
  DISTINCT_MODIFIER: ['distinct', 'SELECT DISTINCT is not allowed; use GROUP BY'],
};

/**
 * Decide whether a party's own SQL may run, on DuckDB's syntax tree (the JSON of
 * `json_serialize_sql`), against the data owners' aggregation rules. Pure: no engine, no I/O.
 * Accepts one SELECT over the collaboration's dataset views, inner-joined on match keys,
 * grouped and filtered on dimensions, outputting COUNT / COUNT DISTINCT / SUM / AVG over
 * allowed columns; refuses everything else with the rule, node and column (never data).
 *
 * @example
 * ```ts
 * const tree = await serializer.serialize('SELECT a.region, count(DISTINCT a.email) AS n FROM a JOIN b ON a.email = b.email GROUP BY a.region');
 * const result = checkCustomSql(tree, rules);
 * if (result.ok) result.plan.outputs; // [{ name: 'region', kind: 'group_key', … }, { name: 'n', kind: 'aggregate', … }]
 * else result.refusal; // { rule: 'identifier-column', node: 'select_list[0] COLUMN_REF', column: 'a.email', message: … }
 * ```
 */
export function checkCustomSql(tree: unknown, rules: AggregationRules): CustomSqlCheck {
  try {
    return { ok: true, plan: checkTree(tree, rules) };
  } catch (error) {
    if (error instanceof RefusedQuery) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

function checkTree(tree: unknown, rules: AggregationRules): CheckedQuery {
  const root = asNode(tree, 'root');
  if (root.error !== false) refuse('select-only', 'root', 'only a SELECT statement may be run');
  const statements = asArray(root.statements, 'statements');
  if (statements.length !== 1) refuse('one-statement', 'statements', `exactly one statement is allowed, found ${statements.length}`);
  const statement = asNode(statements[0], 'statements[0]');
  expectKeys(statement, ['node', 'named_param_map'], 'statements[0]');
  if (asArray(statement.named_param_map ?? [], 'statements[0].named_param_map').length > 0) refuse('parameter', 'statements[0]', 'parameters are not allowed in custom SQL');
  const node = asNode(statement.node, 'node');
  const type = nodeType(node);
  if (type === 'SET_OPERATION_NODE') refuse('set-operation', `node ${type}`, 'UNION, INTERSECT and EXCEPT are not allowed');
  if (type !== 'SELECT_NODE') refuse('select-only', `node ${type}`, `query node ${type} is not allowed; only a plain SELECT`);
  expectKeys(node, SELECT_KEYS, 'node');
  if (asArray(asNode(node.cte_map, 'cte_map').map, 'cte_map').length > 0) refuse('cte', 'node.cte_map', 'WITH (common table expressions) is not allowed');
  asArray(node.modifiers, 'modifiers').forEach((m, i) => {
    const t = nodeType(asNode(m, `modifiers[${i}]`));
    const [rule, why] = MODIFIER_RULES[t] ?? ['modifier', `modifier ${t} is not allowed`];
    refuse(rule, `modifiers[${i}] ${t}`, why);
  });
  if (node.sample !== null) refuse('sample', 'node.sample', 'USING SAMPLE is not allowed');
  if (node.qualify !== null) refuse('qualify', 'node.qualify', 'QUALIFY is not allowed');
  if (node.aggregate_handling !== 'STANDARD_HANDLING') refuse('group-by-all', 'node.aggregate_handling', 'GROUP BY ALL is not allowed; list the group keys');

  const { scope, joins } = checkFrom(node.from_table, rules);
  const scalars = new Set((rules.scalarFunctions ?? DEFAULT_SCALAR_FUNCTIONS).map((f) => f.toLowerCase()));
  if (node.where_clause !== null) {
    checkExpression(node.where_clause, 'where_clause', { scope, scalars, place: 'where' });
    requireCondition(node.where_clause, scope, 'where_clause');
  }
  const groups = checkGroups(node, scope, scalars);
  if (node.having !== null) {
    checkExpression(node.having, 'having', { scope, scalars, place: 'having' });
    requireCondition(node.having, scope, 'having');
  }
  const outputs = asArray(node.select_list, 'select_list').map((item, i) => checkOutput(item, i, groups, scope, scalars));
  const tables = scope.tables;
  const datasets = [...new Set(tables.map((t) => t.dataset))];
  checkRunner(datasets, rules);
  checkNames(outputs);
  return { datasets, tables, joins, outputs, tree };
}

function checkGroups(node: TreeNode, scope: TableScope, scalars: ReadonlySet<string>): string[] {
  const groups = asArray(node.group_expressions, 'group_expressions');
  const sets = asArray(node.group_sets, 'group_sets');
  const single = sets.length === 1 && asArray(sets[0], 'group_sets[0]').every((index, i) => index === i) && asArray(sets[0], 'group_sets[0]').length === groups.length;
  if (groups.length > 0 ? !single : sets.length > 0) refuse('grouping-sets', 'node.group_sets', 'ROLLUP, CUBE and GROUPING SETS are not allowed');
  return groups.map((g, i) => {
    const path = `group_expressions[${i}]`;
    if (asNode(g, path).class === 'CONSTANT') refuse('group-by-position', `${path} CONSTANT`, 'GROUP BY a position or constant is not allowed; name the column');
    checkExpression(g, path, { scope, scalars, place: 'group' });
    return shape(g);
  });
}

function checkOutput(item: unknown, i: number, groups: readonly string[], scope: TableScope, scalars: ReadonlySet<string>): CheckedOutput {
  const path = `select_list[${i}]`;
  const node = asNode(item, path);
  const alias = lowerField(node, 'alias');
  const use = checkExpression(item, path, { scope, scalars, place: 'select' });
  const isGroupKey = use.aggregates.length === 0 && groups.includes(shape(item));
  if (use.plain.length > 0 && !isGroupKey) {
    const c = use.plain[0]!;
    refuse('not-grouped', `${path} ${nodeType(node)}`, `column ${c.dataset}.${c.column} must be a GROUP BY key or inside an aggregate`, `${c.dataset}.${c.column}`);
  }
  // An output named like a column could be read back as that column by WHERE/GROUP BY/HAVING.
  if (alias !== '' && scope.hasColumn(alias) && !(node.class === 'COLUMN_REF' && use.plain.some((c) => c.column === alias))) {
    refuse('alias-shadows-column', `${path} ${nodeType(node)}`, `output name ${alias} is also a column name`, alias);
  }
  const kind = isGroupKey && use.plain.length > 0 ? 'group_key' : use.aggregates.length > 0 ? 'aggregate' : 'constant';
  const columns = kind === 'group_key' ? use.plain : use.aggregated;
  // The name as written: DuckDB keeps an alias's case in the result's column names.
  const written = typeof node.alias === 'string' ? node.alias : '';
  return { name: written !== '' ? written : defaultName(node), kind, aggregates: use.aggregates, columns };
}

function checkRunner(datasets: readonly string[], rules: AggregationRules): void {
  if (rules.mustJoinOwnData !== true) return;
  const owners = datasets.map((d) => rules.datasets[d]?.owner);
  if (!owners.includes(rules.runner) || owners.every((o) => o === rules.runner)) {
    refuse('runner-join', 'from_table', `the query must join a dataset of the running party (${String(rules.runner)}) with another party's`);
  }
}

/** An expression's structure without aliases and source positions, to compare outputs with group keys. */
function shape(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'alias' || key === 'query_location') return undefined;
    return key === 'column_names' && Array.isArray(v) ? v.map((n) => String(n).toLowerCase()) : v;
  });
}

/** A column's own name; '' for an expression, whose engine-chosen name the plan cannot know. */
function defaultName(node: TreeNode): string {
  if (node.class === 'COLUMN_REF' && Array.isArray(node.column_names)) return String(node.column_names.at(-1)).toLowerCase();
  return '';
}

/** Every output needs a name of its own, so a later step can guard each released column by name. */
function checkNames(outputs: readonly CheckedOutput[]): void {
  const seen = new Set<string>();
  outputs.forEach((output, i) => {
    if (output.name === '') refuse('output-name', `select_list[${i}]`, 'name every computed output with AS');
    const key = output.name.toLowerCase();
    if (seen.has(key)) refuse('duplicate-output', `select_list[${i}]`, `output name ${output.name} is used twice`, output.name);
    seen.add(key);
  });
}
