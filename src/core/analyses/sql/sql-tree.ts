/**
 * Small helpers over a checked `json_serialize_sql` tree: the executor adds to the very tree
 * the checker accepted (hidden people counts, the DP inner select) and never re-parses the
 * submitted text.
 */

/**
 * One node of the engine's syntax tree.
 *
 * @example
 * ```ts
 * const column: SqlNode = { class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', column_names: ['r', 'segment'] };
 * ```
 */
export type SqlNode = Record<string, unknown>;

/**
 * A deep copy of a checked tree with its SELECT node at hand, to change the copy only.
 *
 * @example
 * ```ts
 * const { tree, select } = copySelect(plan.tree);
 * select.select_list = [...(select.select_list as SqlNode[]), extra];
 * ```
 */
export function copySelect(checked: unknown): { tree: SqlNode; select: SqlNode } {
  const tree = structuredClone(checked) as SqlNode;
  const statement = (tree.statements as SqlNode[])[0]!;
  return { tree, select: statement.node as SqlNode };
}

/**
 * `count(DISTINCT expression) AS alias` as a tree node.
 *
 * @example
 * ```ts
 * countDistinct(person, '__people_0');
 * ```
 */
export function countDistinct(expression: SqlNode, alias: string): SqlNode {
  return {
    class: 'FUNCTION', type: 'FUNCTION', alias, function_name: 'count', schema: '', catalog: '', children: [expression],
    filter: null, order_bys: { type: 'ORDER_MODIFIER', orders: [] }, distinct: true, is_operator: false, export_state: false,
  };
}

/**
 * The same node under another output name.
 *
 * @example
 * ```ts
 * aliased(groupExpression, '__g0');
 * ```
 */
export function aliased(node: unknown, alias: string): SqlNode {
  return { ...(structuredClone(node) as SqlNode), alias };
}

/**
 * An expression's structure without output names and source positions, column names
 * lower-cased, as the checker compares a select item with the GROUP BY keys.
 *
 * @example
 * ```ts
 * shapeOf(selectItem) === shapeOf(groupExpression); // the item is that group key
 * ```
 */
export function shapeOf(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'alias' || key === 'query_location') return undefined;
    return key === 'column_names' && Array.isArray(v) ? v.map((n) => String(n).toLowerCase()) : v;
  });
}
