import { describe, expect, test } from 'vitest';
import type { AggregationRules } from './aggregation-rules.js';
import { checkCustomSql } from './check-custom-sql.js';

// Pure tests on hand-built trees shaped like json_serialize_sql's output. The attack suite in
// test/custom-sql-attacks.test.ts parses real SQL with DuckDB.

const rules: AggregationRules = {
  datasets: {
    a: { owner: 'p1', columns: { email: { join: true, aggregates: ['count_distinct'] }, region: { dimension: true }, revenue: { aggregates: ['sum'] } } },
    b: { owner: 'p2', columns: { email: { join: true } } },
  },
};

const col = (...names: string[]) => ({ class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', column_names: names });
const constant = (value: unknown) => ({ class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value } });
const fn = (name: string, children: unknown[], extra: Record<string, unknown> = {}) => ({
  class: 'FUNCTION', type: 'FUNCTION', alias: '', function_name: name, schema: '', catalog: '', children,
  filter: null, order_bys: { type: 'ORDER_MODIFIER', orders: [] }, distinct: false, is_operator: false, export_state: false, ...extra,
});
const table = (name: string) => ({ type: 'BASE_TABLE', alias: '', sample: null, schema_name: '', table_name: name, column_name_alias: [], catalog_name: '', at_clause: null });

function select(parts: Record<string, unknown>): unknown {
  const node = {
    type: 'SELECT_NODE', modifiers: [], cte_map: { map: [] }, select_list: [fn('count_star', [])], from_table: table('a'),
    where_clause: null, group_expressions: [], group_sets: [], aggregate_handling: 'STANDARD_HANDLING', having: null, sample: null, qualify: null,
    ...parts,
  };
  return { error: false, statements: [{ node, named_param_map: [] }] };
}

function ruleOf(tree: unknown, custom: AggregationRules = rules): string | undefined {
  const result = checkCustomSql(tree, custom);
  return result.ok ? undefined : result.refusal.rule;
}

describe('checkCustomSql on hand-built trees', () => {
  test('count(*) over one dataset passes when the runner need not join its data', () => {
    const result = checkCustomSql(select({ select_list: [{ ...fn('count_star', []), alias: 'n' }] }), rules);
    expect(result).toMatchObject({ ok: true, plan: { datasets: ['a'], outputs: [{ name: 'n', kind: 'aggregate', aggregates: ['count'] }] } });
  });
  test('every computed output is named, once', () => {
    expect(ruleOf(select({}))).toBe('output-name');
    expect(ruleOf(select({ select_list: [{ ...fn('count_star', []), alias: 'n' }, { ...fn('count_star', []), alias: 'n' }] }))).toBe('duplicate-output');
  });
  test('a tree that is not an object, or an error tree, is refused', () => {
    expect(ruleOf('SELECT 1')).toBe('malformed-tree');
    expect(ruleOf({ error: true, error_message: 'Only SELECT statements can be serialized' })).toBe('select-only');
  });
  test('a field the checker does not know is refused, on a query node and on an expression', () => {
    expect(ruleOf(select({ new_clause: null }))).toBe('unknown-node-field');
    expect(ruleOf(select({ select_list: [{ ...fn('count_star', []), hidden: col('email') }] }))).toBe('unknown-node-field');
  });
  test('an aggregate in WHERE or GROUP BY is refused', () => {
    expect(ruleOf(select({ where_clause: { class: 'COMPARISON', type: 'COMPARE_GREATERTHAN', alias: '', left: fn('count_star', []), right: constant(1) } }))).toBe('aggregate-place');
    expect(ruleOf(select({ group_expressions: [fn('sum', [col('revenue')])], group_sets: [[0]] }))).toBe('aggregate-place');
  });
  test('object prototype names are not columns or tables', () => {
    expect(ruleOf(select({ where_clause: { class: 'COMPARISON', type: 'COMPARE_EQUAL', alias: '', left: col('__proto__'), right: constant('x') } }))).toBe('unknown-column');
    expect(ruleOf(select({ from_table: table('constructor') }))).toBe('unknown-table');
  });
  test('the scalar allow-list comes from the rules', () => {
    const lowered = select({ select_list: [{ ...fn('count_star', []), alias: 'n' }], where_clause: { class: 'COMPARISON', type: 'COMPARE_EQUAL', alias: '', left: fn('lower', [col('region')]), right: constant('x') } });
    expect(ruleOf(lowered)).toBeUndefined();
    expect(ruleOf(lowered, { ...rules, scalarFunctions: ['upper'] })).toBe('function-not-allowed');
  });
  test('the runner must join its own data to another party’s when the rules say so', () => {
    expect(ruleOf(select({}), { ...rules, runner: 'p1', mustJoinOwnData: true })).toBe('runner-join');
    expect(ruleOf(select({ from_table: table('b') }), { ...rules, runner: 'p1', mustJoinOwnData: true })).toBe('runner-join');
  });
  test('a refusal names rule, node and column', () => {
    const result = checkCustomSql(select({ select_list: [col('a', 'email')] }), rules);
    expect(result).toEqual({
      ok: false,
      refusal: {
        rule: 'identifier-column',
        node: 'select_list[0] COLUMN_REF',
        column: 'a.email',
        message: 'Cannot run the custom SQL: column a.email is an identifier and may only be used in a join condition or counted distinct',
      },
    });
  });
});
