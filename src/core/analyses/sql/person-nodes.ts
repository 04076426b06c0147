import type { RoomStore } from '../../engine-port.js';
import { CleanRoomError } from '../../errors.js';
import { ident, personExpression } from '../../room-schema/room-sql.js';
import type { Template } from '../../template/index.js';
import { copySelect } from './sql-tree.js';
import type { SqlNode } from './sql-tree.js';

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
