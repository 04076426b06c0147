import { ownEntry } from './names.js';
import type { TemplateProblem } from './template-problem.js';
import type { ColumnRole, ColumnType } from './template-vocabulary.js';
import type { ColumnSpec, Template } from './template-types.js';

/** A column reference taken apart: `transactions.revenue` → dataset and column. */
export interface ColumnRef {
  dataset: string;
  column: string;
}

/**
 * Splits a `dataset.column` reference, or returns undefined when it has no single dot.
 *
 * @example
 * ```ts
 * parseColumnRef('transactions.revenue'); // { dataset: 'transactions', column: 'revenue' }
 * parseColumnRef('revenue');              // undefined
 * ```
 */
export function parseColumnRef(ref: string): ColumnRef | undefined {
  const parts = ref.split('.');
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined) return undefined;
  if (parts[0] === '' || parts[1] === '') return undefined;
  return { dataset: parts[0], column: parts[1] };
}

/** What a reference must point at. */
export interface ColumnExpectation {
  /** The datasets the reference may name (an analysis's own datasets). */
  datasets: readonly string[];
  roles: readonly ColumnRole[];
  types?: readonly ColumnType[];
  /** The JSON path of the reference, for problems. */
  path: string;
}

/**
 * Resolves a column of a dataset and checks its role and type, returning the column or the
 * one problem that stops it.
 *
 * @example
 * ```ts
 * const found = findColumn(template, { dataset: 'transactions', column: 'revenue' },
 *   { datasets: ['exposures', 'transactions'], roles: ['measure'], path: 'analyses.x.measures.0' });
 * if ('problem' in found) problems.push(found.problem);
 * ```
 */
export function findColumn(
  template: Template,
  ref: ColumnRef,
  expected: ColumnExpectation,
): { column: ColumnSpec } | { problem: TemplateProblem } {
  const { path } = expected;
  const dataset = ownEntry(template.datasets, ref.dataset);
  if (dataset === undefined || !expected.datasets.includes(ref.dataset)) {
    return {
      problem: {
        code: 'unknown_dataset',
        path,
        message: `Cannot use dataset '${ref.dataset}' at ${path}: it is not one of this analysis's datasets (${expected.datasets.join(', ')})`,
      },
    };
  }
  const column = ownEntry(dataset.columns, ref.column);
  if (column === undefined) {
    return {
      problem: {
        code: 'unknown_column',
        path,
        message: `Cannot use column '${ref.column}' at ${path}: dataset '${ref.dataset}' has no such column (columns: ${Object.keys(dataset.columns).join(', ')})`,
      },
    };
  }
  if (column.role === undefined || !expected.roles.includes(column.role)) {
    return {
      problem: {
        code: 'wrong_column_role',
        path,
        message: `Cannot use column '${ref.dataset}.${ref.column}' at ${path}: its role is ${column.role ?? 'none'}, expected ${expected.roles.join(' or ')}`,
      },
    };
  }
  if (expected.types !== undefined && !expected.types.includes(column.type)) {
    return {
      problem: {
        code: 'wrong_column_role',
        path,
        message: `Cannot use column '${ref.dataset}.${ref.column}' at ${path}: its type is ${column.type}, expected ${expected.types.join(' or ')}`,
      },
    };
  }
  return { column };
}

/**
 * Resolves a `dataset.column` reference string (see {@link findColumn}).
 *
 * @example
 * ```ts
 * findColumnRef(template, 'exposures.campaign', { datasets: ['exposures'], roles: ['dimension'], path: 'p' });
 * ```
 */
export function findColumnRef(
  template: Template,
  ref: string,
  expected: ColumnExpectation,
): { ref: ColumnRef; column: ColumnSpec } | { problem: TemplateProblem } {
  const parsed = parseColumnRef(ref);
  if (parsed === undefined) {
    return {
      problem: {
        code: 'unknown_column',
        path: expected.path,
        message: `Cannot read '${ref}' at ${expected.path} as a column reference: expected dataset.column`,
      },
    };
  }
  const found = findColumn(template, parsed, expected);
  return 'problem' in found ? found : { ref: parsed, column: found.column };
}
