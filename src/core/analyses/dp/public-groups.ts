import { MAX_PUBLIC_GROUPS } from '../../privacy/dp/release-table.js';
import type { Template } from '../../template/index.js';
import type { ColumnRef } from '../plan-parts.js';

/**
 * The declared values of each group key when every key is public (a column with
 * `allowedValues`, or a fixed list such as the match keys in `extra`) and their combinations
 * stay within {@link MAX_PUBLIC_GROUPS}; undefined when any key comes from private data (or
 * there are too many combinations), so the groups must pass DP partition selection.
 *
 * @example
 * ```ts
 * publicGroupsOf(template, [columnRef('readers.segment')]); // { 'readers.segment': ['news', 'sport', ...] }
 * ```
 */
export function publicGroupsOf(template: Template, dimensions: readonly ColumnRef[], extra: Record<string, string[]> = {}): Record<string, string[]> | undefined {
  const groups: Record<string, string[]> = { ...extra };
  for (const d of dimensions) {
    const values = template.datasets[d.dataset]?.columns[d.column]?.allowedValues;
    if (values === undefined) return undefined;
    groups[d.ref] = [...values];
  }
  const combinations = Object.values(groups).reduce((n, list) => n * list.length, 1);
  return combinations <= MAX_PUBLIC_GROUPS ? groups : undefined;
}
