import { CleanRoomError } from '../../errors.js';
import type { AnalysisParams, ParamSpec, ParamValue } from '../../template/index.js';

type Node = Record<string, unknown>;

const DAY_MS = 86_400_000;
const INT32 = 2 ** 31;

/**
 * Bind a pre-approved query's typed parameters in its parsed tree: every `$name` PARAMETER
 * node becomes a CONSTANT node of the validated value, typed from the parameter's spec
 * (VARCHAR, INTEGER/BIGINT, DOUBLE, BOOLEAN, DATE; a query parameter is one value). The
 * value is data in the tree, never SQL text, and the checker that runs next sees no
 * parameter at all. Returns a new tree.
 *
 * @example
 * ```ts
 * const tree = await room.parseSql('SELECT count(*) AS n FROM readers r JOIN purchases p ON r.email = p.email WHERE r.age_band = $age_band');
 * const bound = bindQueryParams(tree, { age_band: '25-34' }, analysis.params);
 * // WHERE r.age_band = '25-34' as a VARCHAR constant node; named_param_map is []
 * ```
 */
export function bindQueryParams(tree: unknown, params: AnalysisParams, specs: Readonly<Record<string, ParamSpec>>): unknown {
  const bound = replace(tree, params, specs);
  const root = bound as Node | null;
  if (root !== null && typeof root === 'object' && Array.isArray(root.statements)) {
    root.statements = root.statements.map((s: unknown) => (s !== null && typeof s === 'object' ? { ...(s as Node), named_param_map: [] } : s));
  }
  return bound;
}

function replace(value: unknown, params: AnalysisParams, specs: Readonly<Record<string, ParamSpec>>): unknown {
  if (Array.isArray(value)) return value.map((item) => replace(item, params, specs));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Node;
  if (node.class === 'PARAMETER') {
    return constantFor(node, params, specs);
  }
  const copy: Node = {};
  for (const [key, child] of Object.entries(node)) copy[key] = replace(child, params, specs);
  return copy;
}

function constantFor(node: Node, params: AnalysisParams, specs: Readonly<Record<string, ParamSpec>>): Node {
  const name = typeof node.identifier === 'string' ? node.identifier : '';
  const alias = typeof node.alias === 'string' ? node.alias : '';
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (spec === undefined || spec.type === 'sql' || value === undefined) {
    throw new CleanRoomError('invalid_argument', `Cannot bind $${name} in the pre-approved query: ${spec === undefined ? 'the analysis declares no such parameter' : spec.type === 'sql' ? 'SQL text cannot stand for a value' : 'no value was given for it'}`, {
      details: { field: name },
    });
  }
  return typed(spec, value, name, alias);
}

function typed(spec: ParamSpec, value: ParamValue, name: string, alias: string): Node {
  switch (spec.type) {
    case 'enum':
      return constant('VARCHAR', String(value), alias);
    case 'boolean':
      return constant('BOOLEAN', value === true, alias);
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number);
      return constant('DATE', Date.UTC(y!, m! - 1, d!) / DAY_MS, alias);
    }
    case 'integer':
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) {
        throw new CleanRoomError('invalid_argument', `Cannot bind $${name} in the pre-approved query: ${String(value)} is not a number it can carry exactly`, { details: { field: name } });
      }
      if (!Number.isInteger(n)) return constant('DOUBLE', n, alias);
      return constant(Math.abs(n) < INT32 ? 'INTEGER' : 'BIGINT', n, alias);
    }
    default:
      throw new CleanRoomError('invalid_argument', `Cannot bind $${name} in the pre-approved query: parameters of type ${spec.type} cannot stand in a query`, { details: { field: name } });
  }
}

function constant(id: string, value: string | number | boolean, alias: string): Node {
  return { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias, value: { type: { id, type_info: null }, is_null: false, value } };
}
