import type { LoadColumn, LoadColumnType, LoadPlan, RejectReason } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';

/** A plan column and the position of its CSV column (undefined: absent, stored as NULL). */
export interface PlacedColumn {
  column: LoadColumn;
  fileIndex: number | undefined;
}

/** How a CSV file's columns line up with a load plan. */
export interface LoadLayout {
  dataset: string;
  fileColumnCount: number;
  placed: readonly PlacedColumn[];
  ignoredColumns: readonly string[];
  /** Reject codes 1..n of the staging step, in check order. */
  rejectCodes: readonly { column: string; reason: RejectReason }[];
  /** Indexes into `placed` of the plan's `requireOneOf` columns (a column absent from the file counts as empty). */
  oneOf: readonly number[];
}

const NAME = /^[a-z][a-z0-9_]*$/;
const TYPES: readonly LoadColumnType[] = ['identifier', 'text', 'integer', 'decimal', 'date', 'timestamp', 'boolean'];
const TYPE_REASON: Record<Exclude<LoadColumnType, 'text'>, RejectReason> = {
  identifier: 'not_a_hash',
  integer: 'not_an_integer',
  decimal: 'not_a_number',
  date: 'not_a_date',
  timestamp: 'not_a_timestamp',
  boolean: 'not_a_boolean',
};

/**
 * Check a load plan and line its columns up with a CSV header (names matched trimmed and
 * case-insensitively). A required column missing from the header fails with
 * 'invalid_input'; header columns the plan does not name are listed as ignored.
 *
 * @example
 * ```ts
 * const layout = layoutColumns(['Email', 'campaign', 'notes'], plan, 'exposures.csv');
 * layout.ignoredColumns; // ['notes']
 * ```
 */
export function layoutColumns(header: readonly string[], plan: LoadPlan, fileLabel: string): LoadLayout {
  checkPlan(plan);
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    if (!positions.has(key)) positions.set(key, index);
  });
  const used = new Set<number>();
  const placed = plan.columns.map((column): PlacedColumn => {
    const fileIndex = positions.get((column.header ?? column.name).trim().toLowerCase());
    if (fileIndex === undefined && column.required === true) {
      throw new CleanRoomError(
        'invalid_input',
        `Cannot load ${fileLabel} as dataset ${plan.dataset}: its header has no column "${column.header ?? column.name}"`,
        { details: { file: fileLabel, field: column.header ?? column.name } },
      );
    }
    if (fileIndex !== undefined) used.add(fileIndex);
    return { column, fileIndex };
  });
  const rejectCodes: { column: string; reason: RejectReason }[] = [];
  for (const { column } of placed) {
    if (column.required === true) rejectCodes.push({ column: column.name, reason: 'missing' });
    if (column.type !== 'text') rejectCodes.push({ column: column.name, reason: TYPE_REASON[column.type] });
    if (column.allowedValues !== undefined) rejectCodes.push({ column: column.name, reason: 'not_allowed' });
    if (column.range !== undefined) rejectCodes.push({ column: column.name, reason: 'out_of_range' });
  }
  // Last: a row that passed every column's check but holds none of these (see rejectCase).
  const oneOf = requiredOneOf(plan, placed);
  if (oneOf.length > 0) rejectCodes.push({ column: oneOf.map((p) => p.column.name).join(' | '), reason: 'no_identifier' });
  return {
    dataset: plan.dataset,
    fileColumnCount: header.length,
    placed,
    oneOf: oneOf.map((p) => placed.indexOf(p)),
    ignoredColumns: header.filter((_, index) => !used.has(index)),
    rejectCodes,
  };
}

function checkPlan(plan: LoadPlan): void {
  const { dataset, columns, delimiter = ',', maxRejectedRows = 0, rejectSamples = 0 } = plan;
  if (!(maxRejectedRows >= 0)) throw planError(`maxRejectedRows ${maxRejectedRows} is negative`);
  if (!Number.isInteger(rejectSamples) || rejectSamples < 0) throw planError(`rejectSamples ${rejectSamples} is not a count`);
  if (!NAME.test(dataset) || dataset.length > 48 || dataset.includes('__')) {
    throw planError(`dataset name "${dataset}" is not a lower-case SQL name of at most 48 characters without "__"`);
  }
  if (columns.length === 0) throw planError('it names no column');
  const seen = new Set<string>();
  for (const column of columns) {
    if (!NAME.test(column.name) || column.name.length > 63) {
      throw planError(`column name "${column.name}" is not a lower-case SQL name`);
    }
    if (column.name.startsWith('_')) throw planError(`column name "${column.name}" starts with "_"`);
    if (seen.has(column.name)) throw planError(`column "${column.name}" appears twice`);
    seen.add(column.name);
    if (!TYPES.includes(column.type)) throw planError(`column "${column.name}" has unknown type "${column.type}"`);
    if (column.allowedValues !== undefined && (column.allowedValues.length === 0 || column.allowedValues.some((v) => typeof v !== 'string'))) {
      throw planError(`column "${column.name}" has an empty or non-text list of allowed values`);
    }
    if (column.range !== undefined) {
      const [min, max] = column.range;
      if (!['integer', 'decimal'].includes(column.type) || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
        throw planError(`column "${column.name}" has a range that is not two ordered finite numbers on a numeric column`);
      }
    }
  }
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw planError(`delimiter "${delimiter}" is not one character other than a quote or line break`);
  }
}

function planError(why: string): CleanRoomError {
  return new CleanRoomError('invalid_argument', `Cannot use the load plan: ${why}`);
}

/** The placed columns of the plan's `requireOneOf`; a name the plan does not hold is a plan error. */
function requiredOneOf<T extends { column: { name: string } }>(plan: LoadPlan, placed: readonly T[]): T[] {
  const names = plan.requireOneOf ?? [];
  for (const name of names) if (!plan.columns.some((c) => c.name === name)) throw planError(`requireOneOf names "${name}", which is not one of its columns`);
  return placed.filter((p) => names.includes(p.column.name));
}
