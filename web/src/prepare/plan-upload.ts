import { CleanRoomError } from '../../../src/core/errors.js';
import { planColumns } from '../../../src/core/prepare/column-plan.js';
import type { ColumnPlan } from '../../../src/core/prepare/column-plan.js';
import type { DatasetSpec } from '../../../src/core/template/index.js';

/** How a file's columns become a template dataset's columns. */
export interface UploadPlan {
  plan: ColumnPlan;
  /** Input column indexes written, in output order; null when the file is written whole. */
  keep: number[] | null;
  /** The prepared file's header. */
  outputHeader: string[];
}

/**
 * Plans a template-mode preparation: each template column named in `mapping` (template
 * column -> file header) is read from that file column and written under the template's
 * name, identifier columns normalised and hashed; file columns the mapping does not name
 * are dropped, so nothing the template does not ask for is uploaded.
 *
 * @example
 * ```ts
 * planUpload(['E-mail', 'Plan', 'notes'], dataset, { email: 'E-mail', plan: 'Plan' }).outputHeader; // ['email', 'plan']
 * ```
 */
export function planUpload(header: readonly string[], dataset: DatasetSpec, mapping: Readonly<Record<string, string>>): UploadPlan {
  const kinds: Record<string, string> = {};
  const used = new Map<string, string>();
  for (const [column, fileHeader] of Object.entries(mapping)) {
    const spec = Object.hasOwn(dataset.columns, column) ? dataset.columns[column] : undefined;
    if (spec === undefined) throw new CleanRoomError('invalid_argument', `Cannot map column '${column}': the dataset has no such column`, { details: { field: column } });
    if (used.has(fileHeader)) throw new CleanRoomError('invalid_argument', `Cannot map '${fileHeader}' to both ${used.get(fileHeader)} and ${column}: one file column feeds one template column`, { details: { field: column } });
    used.set(fileHeader, column);
    if (spec.identifier !== undefined) kinds[spec.identifier] = fileHeader;
  }
  const missing = Object.entries(dataset.columns).filter(([name, spec]) => spec.required && !Object.hasOwn(mapping, name));
  if (missing.length > 0) {
    throw new CleanRoomError('invalid_argument', `Cannot prepare the file: required column(s) ${missing.map(([name]) => name).join(', ')} are not mapped to a file column`, { details: { field: missing[0]![0] } });
  }
  const plan = planColumns(header, { map: kinds, autoDetect: false });
  const keep: number[] = [];
  for (const [column, fileHeader] of Object.entries(mapping)) {
    const index = header.indexOf(fileHeader);
    if (index === -1) throw new CleanRoomError('invalid_argument', `Cannot map ${column}="${fileHeader}": the file has no such column (columns: ${header.join(', ')})`, { details: { field: column } });
    plan.columns[index]!.outputName = column;
    keep.push(index);
  }
  const whole = keep.length === header.length && keep.every((index, i) => index === i);
  return { plan, keep: whole ? null : keep, outputHeader: keep.map((i) => plan.columns[i]!.outputName) };
}

/**
 * The mapping a party most likely wants: each template column to the file column of the
 * same name (compared without case, spaces or punctuation).
 *
 * @example
 * ```ts
 * guessMapping(['E-Mail', 'Plan'], dataset); // { email: 'E-Mail', plan: 'Plan' }
 * ```
 */
export function guessMapping(header: readonly string[], dataset: DatasetSpec): Record<string, string> {
  const key = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const mapping: Record<string, string> = {};
  for (const column of Object.keys(dataset.columns)) {
    const found = header.find((h) => key(h) === key(column));
    if (found !== undefined) mapping[column] = found;
  }
  return mapping;
}
