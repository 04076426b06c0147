import type { CheckedQuery } from '../../custom-sql/index.js';
import { copySelect, countDistinct } from './sql-tree.js';
import type { SqlNode } from './sql-tree.js';

/** The prefix of the hidden per-party counts of distinct people. */
const PEOPLE = '__people';

/**
 * The checked query with one hidden output per protected table reference appended:
 * `count(DISTINCT <that table's person>) AS __people_<i>`, so every output row says how
 * many distinct people of each protected party stand behind it, after every join and filter.
 * Nothing else of the checked tree changes.
 *
 * @example
 * ```ts
 * const { tree, hidden } = thresholdQuery(plan, persons);
 * const { rows } = await room.query(await room.printSql(tree));
 * ```
 */
export function thresholdQuery(plan: CheckedQuery, persons: readonly SqlNode[]): { tree: unknown; hidden: string[] } {
  const { tree, select } = copySelect(plan.tree);
  const hidden = persons.map((_, i) => `${PEOPLE}_${i}`);
  select.select_list = [...(select.select_list as SqlNode[]), ...persons.map((person, i) => countDistinct(person, hidden[i]!))];
  return { tree, hidden };
}
