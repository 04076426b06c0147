import type { CustomSqlRefusal } from './checked-query.js';

/**
 * A parsed-tree node as the checker reads it.
 *
 * @example
 * ```ts
 * const node: TreeNode = { class: 'COLUMN_REF', type: 'COLUMN_REF', column_names: ['region'] };
 * ```
 */
export type TreeNode = Record<string, unknown>;

/**
 * Thrown inside the checker only and turned into a returned refusal by checkCustomSql, so
 * the first problem found stops the walk.
 *
 * @example
 * ```ts
 * try { refuse('window-function', 'select_list[0] WINDOW', 'window functions are not allowed'); }
 * catch (e) { if (e instanceof RefusedQuery) e.refusal.rule; } // 'window-function'
 * ```
 */
export class RefusedQuery extends Error {
  readonly refusal: CustomSqlRefusal;

  constructor(refusal: CustomSqlRefusal) {
    super(refusal.message);
    this.refusal = refusal;
  }
}

/**
 * Stop the check with a refusal naming the rule, the node and, when one is involved, the column.
 *
 * @example
 * ```ts
 * refuse('unknown-table', 'from_table BASE_TABLE', 'table payroll is not a dataset of this collaboration');
 * ```
 */
export function refuse(rule: string, node: string, why: string, column?: string): never {
  const refusal: CustomSqlRefusal = { rule, node, message: `Cannot run the custom SQL: ${why}` };
  if (column !== undefined) refusal.column = column;
  throw new RefusedQuery(refusal);
}

/** Keys every serialized node may carry whatever its type. */
const COMMON_KEYS = new Set(['class', 'type', 'alias', 'query_location']);

/**
 * Refuse a node that carries a key the checker does not know: a field it would not walk
 * could hold anything, so a newer DuckDB's tree is refused until the checker learns it.
 *
 * @example
 * ```ts
 * expectKeys({ class: 'CONSTANT', type: 'VALUE_CONSTANT', value: {} }, ['value'], 'where_clause'); // passes
 * ```
 */
export function expectKeys(node: TreeNode, keys: readonly string[], path: string): void {
  for (const key of Object.keys(node)) {
    if (!COMMON_KEYS.has(key) && !keys.includes(key)) refuse('unknown-node-field', `${path} ${nodeType(node)}`, `field ${key} of ${nodeType(node)} is not understood by the checker`);
  }
}

/**
 * The node's `type`, or '?' when it has none.
 *
 * @example
 * ```ts
 * nodeType({ type: 'SELECT_NODE' }); // 'SELECT_NODE'
 * ```
 */
export function nodeType(node: TreeNode): string {
  return typeof node.type === 'string' ? node.type : '?';
}

/**
 * The value as a tree node, or a refusal when it is not an object.
 *
 * @example
 * ```ts
 * asNode(root.statements[0], 'statements[0]');
 * ```
 */
export function asNode(value: unknown, path: string): TreeNode {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) refuse('malformed-tree', path, 'the parse tree is not of the expected shape');
  return value as TreeNode;
}

/**
 * The value as an array, or a refusal.
 *
 * @example
 * ```ts
 * asArray(node.select_list, 'select_list');
 * ```
 */
export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) refuse('malformed-tree', path, 'the parse tree is not of the expected shape');
  return value;
}

/**
 * Lower-cased string field, '' when absent.
 *
 * @example
 * ```ts
 * lowerField({ table_name: 'Customers' }, 'table_name'); // 'customers'
 * ```
 */
export function lowerField(node: TreeNode, key: string): string {
  const value = node[key];
  return typeof value === 'string' ? value.toLowerCase() : '';
}
