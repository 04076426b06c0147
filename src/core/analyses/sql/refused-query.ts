import type { CustomSqlRefusal } from '../../custom-sql/index.js';
import { CleanRoomError } from '../../errors.js';

/**
 * The error a refused custom query raises before anything runs: code 'refused', the
 * checker's message naming the rule, the node and the column (never a data value), and the
 * refusal itself as `details.refusal`.
 *
 * @example
 * ```ts
 * throw refusedQuery('custom_sql', { rule: 'aggregate-not-allowed', node: 'select_list[0] FUNCTION max', column: 'purchases.amount', message: 'Cannot run the custom SQL: …' });
 * ```
 */
export function refusedQuery(analysisName: string, refusal: CustomSqlRefusal): CleanRoomError {
  const where = `rule ${refusal.rule} at ${refusal.node}${refusal.column !== undefined ? `, column ${refusal.column}` : ''}`;
  return new CleanRoomError('refused', `${refusal.message} (analysis '${analysisName}', ${where})`, { details: { refusal } });
}

/**
 * A refusal made by the executor itself (reserved names, what differential privacy cannot
 * bound), in the checker's form.
 *
 * @example
 * ```ts
 * refusal('dp-having', 'node.having', 'HAVING is not allowed under differential privacy: it selects groups by their true values');
 * ```
 */
export function refusal(rule: string, node: string, why: string, column?: string): CustomSqlRefusal {
  return { rule, node, message: `Cannot run the custom SQL: ${why}`, ...(column !== undefined ? { column } : {}) };
}
