import { keyedHashSql } from './keyed-hash-sql.js';

/**
 * The k bound, ranking only where it binds: the people in more than k groups (a CTE named
 * `over_k` of their `person` column) and, for their (person, group) rows only, each row's
 * rank among the person's groups in keyed-hash order (ties, a hash collision, by the keys).
 * Everyone in at most k groups keeps all of them, which is what any choice keeps, so the
 * rows kept are exactly those of ranking every person's groups.
 *
 * @example
 * ```ts
 * const { overK, ranked } = keepGroupsSql({ pairs: 'g', person: 'pid', keys: ['"readers.segment"'], k: '3', seed: '?' });
 * // WITH over_k AS (${overK}), ranked_k AS (${ranked}) … WHERE __group_rank <= 3
 * ```
 */
export function keepGroupsSql(options: { pairs: string; person: string; keys: readonly string[]; k: string; seed: string }): { overK: string; ranked: string } {
  const { pairs, person, keys, k, seed } = options;
  const order = [keyedHashSql(seed, 'p', [person, ...keys]), ...keys.map((key) => `p.${key}`)].join(', ');
  return {
    overK: `SELECT ${person} FROM ${pairs} GROUP BY ${person} HAVING count(*) > ${k}`,
    ranked: `SELECT p.*, row_number() OVER (PARTITION BY p.${person} ORDER BY ${order}) AS __group_rank FROM ${pairs} p SEMI JOIN over_k o ON p.${person} = o.${person}`,
  };
}
