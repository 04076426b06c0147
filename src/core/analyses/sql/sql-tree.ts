import type { RoomStore } from '../../engine-port.js';
import { CleanRoomError } from '../../errors.js';
import { personExpression, ident } from '../../room/room-sql.js';
import type { Template } from '../../template/index.js';

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

/**
 * The person expression (as the built-in analyses write it: the person key, else the
 * match keys in priority order) of each table reference, as tree nodes for its alias. The
 * expressions are printed from the template's validated names and parsed by the engine, so
 * they are the engine's own nodes; no caller text is involved.
 *
 * @example
 * ```ts
 * const [readers] = await personNodes(room, template, [{ alias: 'r', dataset: 'readers' }]);
 * // coalesce("r"."email", "r"."phone") as an OPERATOR_COALESCE node
 * ```
 */
export async function personNodes(room: RoomStore, template: Template, tables: readonly { alias: string; dataset: string }[]): Promise<SqlNode[]> {
  if (tables.length === 0) return [];
  const items = tables.map((t, i) => `${personExpression(template, t.dataset, ident(t.alias))} AS p${i}`);
  const parsed = (await room.parseSql(`SELECT ${items.join(', ')}`)) as SqlNode;
  const { select } = copySelect(parsed);
  const list = select.select_list as SqlNode[];
  // Aliases are quoted identifiers, so the text holds exactly these items; check it anyway.
  if (list.length !== tables.length || list.some((node, i) => node.alias !== `p${i}`)) {
    throw new CleanRoomError('internal', 'Cannot write the people counts of the custom SQL: the person expressions did not parse as expected');
  }
  return list.map((node) => ({ ...node, alias: '' }));
}
