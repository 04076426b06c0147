import type { GuardedTable, NoiseNote } from '../api/types.js';

/**
 * The columns of a table to show, and the noise note of each noisy one: the `<column>.low`
 * and `<column>.high` bounds of noisy columns are part of their value ("± interval", error
 * bars), never columns of their own, whether or not `columns` lists them.
 *
 * @example
 * ```ts
 * noisyColumns(table); // { shown: ['readers.segment', 'people', 'purchases.amount.sum'], noise: { people: {...}, ... } }
 * ```
 */
export function noisyColumns(table: GuardedTable): { shown: string[]; noise: Record<string, NoiseNote> } {
  const noise = table.noise ?? {};
  const bounds = new Set(Object.keys(noise).flatMap((c) => [`${c}.low`, `${c}.high`]));
  return { shown: table.columns.filter((c) => !bounds.has(c)), noise };
}
