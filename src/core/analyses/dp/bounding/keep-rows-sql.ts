import { keyedHashSql } from './keyed-hash-sql.js';

/**
 * The m bound on rows, for the pairs (person, group) that need it: the rows of `rows` that
 * pass `join` (a semi-join on the pairs above m), each with its rank within its pair in
 * keyed-hash order of `order`; the caller keeps `__row_rank <= m`. Pairs with at most m rows
 * keep them all, which is what any choice keeps. Rows equal in every hashed column tie, and
 * add the same to every statistic of them, so which of them is kept does not matter.
 *
 * @example
 * ```ts
 * rankRowsSql({ rows: 'src', partition: ['__pid', '__g0'], order: ['__pid', '__g0', '__v0'], seed: "'s1'", join: 'kept_bound k ON …' });
 * ```
 */
export function rankRowsSql(options: { rows: string; partition: readonly string[]; order: readonly string[]; seed: string; join: string }): string {
  const { rows, partition, order, seed, join } = options;
  return `SELECT r.*, row_number() OVER (PARTITION BY ${partition.map((c) => `r.${c}`).join(', ')} ORDER BY ${keyedHashSql(seed, 'r', order)}) AS __row_rank FROM ${rows} r SEMI JOIN ${join}`;
}

/**
 * The m bound on one value inside an aggregate (no window): the sum of the m non-NULL values
 * of smallest keyed hash `__h` (`min_by` skips NULL values).
 *
 * @example
 * ```ts
 * topValuesSql('"purchases.amount"', '2'); // 'list_sum(min_by("purchases.amount", __h, 2))'
 * ```
 */
export function topValuesSql(column: string, m: string): string {
  return `list_sum(min_by(${column}, __h, ${m}))`;
}
