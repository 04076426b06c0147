import { describe, expect, test } from 'vitest';
import type { ParamSpec } from '../../template/index.js';
import { bindQueryParams } from './bind-query-params.js';

// Trees shaped like json_serialize_sql's output for `... WHERE x = $name`.
const parameter = (identifier: string, alias = '') => ({ class: 'PARAMETER', type: 'VALUE_PARAMETER', alias, identifier });
const tree = (...params: unknown[]) => ({
  error: false,
  statements: [{ node: { type: 'SELECT_NODE', where_clause: { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', children: params } }, named_param_map: params.map((_, i) => ({ key: `p${i}`, value: i + 1 })) }],
});
const spec = (type: ParamSpec['type'], extra: Partial<ParamSpec> = {}): ParamSpec => ({ type, description: 'A parameter.', ...extra });
const specs: Record<string, ParamSpec> = {
  band: spec('enum', { allowedValues: ['18-24', '25-34'] }),
  since: spec('date'),
  year: spec('integer'),
  big: spec('integer'),
  share: spec('number'),
  flag: spec('boolean'),
  sql: spec('sql'),
};
const valueOf = (bound: unknown, i: number) => (bound as ReturnType<typeof tree>).statements[0]!.node.where_clause.children[i];

describe('bindQueryParams', () => {
  test('each parameter becomes a constant of its type, and no parameter is left', () => {
    const bound = bindQueryParams(tree(parameter('band'), parameter('since'), parameter('year'), parameter('big'), parameter('share'), parameter('flag', 'f')), {
      band: '25-34', since: '2026-02-01', year: 2026, big: 2 ** 40, share: 0.25, flag: true,
    }, specs);
    const constant = (id: string, value: unknown, alias = '') => ({ class: 'CONSTANT', type: 'VALUE_CONSTANT', alias, value: { type: { id, type_info: null }, is_null: false, value } });
    expect([0, 1, 2, 3, 4, 5].map((i) => valueOf(bound, i))).toEqual([
      constant('VARCHAR', '25-34'),
      constant('DATE', 20485), // days since 1970-01-01
      constant('INTEGER', 2026),
      constant('BIGINT', 2 ** 40),
      constant('DOUBLE', 0.25),
      constant('BOOLEAN', true, 'f'),
    ]);
    expect((bound as ReturnType<typeof tree>).statements[0]!.named_param_map).toEqual([]);
    expect(JSON.stringify(bound)).not.toContain('PARAMETER');
  });

  test('a value with quotes stays one constant: it is data, not text', () => {
    const bound = bindQueryParams(tree(parameter('band')), { band: "x' OR 1=1 --" }, { band: spec('enum', { allowedValues: ["x' OR 1=1 --"] }) });
    expect(valueOf(bound, 0)).toMatchObject({ class: 'CONSTANT', value: { value: "x' OR 1=1 --" } });
  });

  test('an undeclared, missing or SQL-typed parameter is refused', () => {
    expect(() => bindQueryParams(tree(parameter('other')), {}, specs)).toThrow(/declares no such parameter/);
    expect(() => bindQueryParams(tree(parameter('1')), {}, specs)).toThrow(/\$1/);
    expect(() => bindQueryParams(tree(parameter('band')), {}, specs)).toThrow(/no value was given/);
    expect(() => bindQueryParams(tree(parameter('sql')), { sql: 'SELECT 1' }, specs)).toThrow(/SQL text cannot stand for a value/);
  });

  test('the input tree is left as it was', () => {
    const input = tree(parameter('year'));
    bindQueryParams(input, { year: 2026 }, specs);
    expect(valueOf(input, 0)).toEqual(parameter('year'));
  });
});
