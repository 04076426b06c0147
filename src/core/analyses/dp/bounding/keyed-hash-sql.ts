/**
 * The order in which the bounding keeps a person's rows or groups: DuckDB's `hash` of the
 * run's seed (a bound `?` or a literal, see `seedLiteral`) and the given columns of `alias`.
 * The seed is fresh for every run, so which rows survive is random and nobody can steer it;
 * the guarantee does not rest on the hash, only on each choice depending on that person's
 * own rows and the seed.
 *
 * @example
 * ```ts
 * keyedHashSql('?', 'g', ['pid', '"readers.segment"']); // 'hash(?, g.pid, g."readers.segment")'
 * ```
 */
export function keyedHashSql(seed: string, alias: string, columns: readonly string[]): string {
  return `hash(${[seed, ...columns.map((c) => `${alias}.${c}`)].join(', ')})`;
}
