import type { IdentifierKind } from '../identity/identifier-kind.js';

/** Counts for one identifier column. */
export interface ColumnStats {
  /** Non-empty values. */
  filled: number;
  /** Values that normalised (or were already hashes) and were written hashed. */
  valid: number;
  /** Non-empty values that could not be normalised; written empty. */
  invalid: number;
  /** Values that arrived already hashed and passed through. */
  prehashed: number;
  /** The most frequent reasons for invalid values, with counts. */
  reasons: Record<string, number>;
}

/** Counts for a chunk of records, or for a whole file once chunks are merged. */
export interface PrepareStats {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  duplicatesRemoved: number;
  blankLines: number;
  /** Rows written with at least one valid identifier of each kind, keyed by kind. */
  rowsWithKind: Partial<Record<IdentifierKind, number>>;
  /** Per identifier column, keyed by output column name. */
  columns: Record<string, ColumnStats>;
  /** Why rows were rejected, with counts. */
  rejectReasons: Record<string, number>;
}

/**
 * Empty stats with a zeroed entry per identifier column.
 *
 * @example
 * ```ts
 * emptyStats(['email', 'phone']).columns.email.filled; // 0
 * ```
 */
export function emptyStats(identifierColumns: readonly string[]): PrepareStats {
  const columns: Record<string, ColumnStats> = {};
  for (const name of identifierColumns) columns[name] = { filled: 0, valid: 0, invalid: 0, prehashed: 0, reasons: {} };
  return { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, duplicatesRemoved: 0, blankLines: 0, rowsWithKind: {}, columns, rejectReasons: {} };
}

/**
 * Adds `from` into `into` (in place) and returns `into`.
 *
 * @example
 * ```ts
 * const total = mergeStats(emptyStats(['email']), chunkStats);
 * ```
 */
export function mergeStats(into: PrepareStats, from: PrepareStats): PrepareStats {
  into.rowsRead += from.rowsRead;
  into.rowsWritten += from.rowsWritten;
  into.rowsRejected += from.rowsRejected;
  into.duplicatesRemoved += from.duplicatesRemoved;
  into.blankLines += from.blankLines;
  for (const [kind, count] of Object.entries(from.rowsWithKind)) {
    const k = kind as IdentifierKind;
    into.rowsWithKind[k] = (into.rowsWithKind[k] ?? 0) + (count ?? 0);
  }
  for (const [name, c] of Object.entries(from.columns)) {
    const t = (into.columns[name] ??= { filled: 0, valid: 0, invalid: 0, prehashed: 0, reasons: {} });
    t.filled += c.filled;
    t.valid += c.valid;
    t.invalid += c.invalid;
    t.prehashed += c.prehashed;
    addCounts(t.reasons, c.reasons);
  }
  addCounts(into.rejectReasons, from.rejectReasons);
  return into;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [reason, count] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + count;
}
