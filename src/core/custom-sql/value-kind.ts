import { asArray, asNode, nodeType, refuse } from './refuse.js';
import type { TreeNode } from './refuse.js';
import type { TableScope } from './table-scope.js';

/**
 * Whether an expression's value is text read from a row ('text'), some other type ('other'),
 * or a constant DuckDB converts when it binds the query ('any': a string literal, NULL).
 *
 * @example
 * ```ts
 * const kind: ValueKind = valueKind(node, scope, 'where_clause');
 * ```
 */
export type ValueKind = 'text' | 'other' | 'any';

const TEXT_FUNCTIONS = new Set(['lower', 'upper']);

/**
 * Refuse operands that mix text read from rows with another type. DuckDB would convert the
 * text to the other type row by row, and a row that does not convert fails the whole query:
 * the error would tell whether such a row exists (`WHERE region = 1`). Literals of a column's
 * own type, or string literals (converted once, at bind time), are fine.
 *
 * @example
 * ```ts
 * sameKind([col('region'), constant(1)], scope, 'where_clause'); // refuses type-mismatch
 * sameKind([col('region'), constant('north')], scope, 'where_clause'); // 'text'
 * ```
 */
export function sameKind(operands: readonly unknown[], scope: TableScope, path: string): ValueKind {
  const kinds = operands.map((operand, i) => valueKind(operand, scope, `${path}[${i}]`));
  if (kinds.includes('text') && kinds.includes('other')) refuse('type-mismatch', path, 'text read from rows is compared or mixed with another type; write the constant as a string or use TRY_CAST');
  return kinds.includes('text') ? 'text' : kinds.includes('other') ? 'other' : 'any';
}

/**
 * The kind of an expression's value, as far as the checker can tell from the rules' column types.
 *
 * @example
 * ```ts
 * valueKind(fn('year', [col('signup_day')]), scope, 'p'); // 'other'
 * ```
 */
export function valueKind(value: unknown, scope: TableScope, path: string): ValueKind {
  const node = asNode(value, path);
  switch (node.class) {
    case 'COLUMN_REF': {
      const type = scope.resolve(node, path).rule.type ?? 'text';
      return type === 'text' ? 'text' : 'other';
    }
    case 'CONSTANT': {
      const id = (asNode(node.value, path).type as TreeNode | undefined)?.id;
      return id === 'VARCHAR' || id === 'NULL' ? 'any' : 'other';
    }
    case 'CAST':
      return (asNode(node.cast_type, path).id === 'VARCHAR' ? (valueKind(node.child, scope, path) === 'any' ? 'any' : 'text') : 'other');
    case 'FUNCTION':
      return TEXT_FUNCTIONS.has(String(node.function_name).toLowerCase()) ? 'text' : 'other';
    case 'OPERATOR':
      return nodeType(node) === 'OPERATOR_COALESCE' ? sameKind(asArray(node.children, path), scope, path) : 'other';
    case 'CASE': {
      const branches = asArray(node.case_checks, path).map((c) => asNode(c, path).then_expr);
      return sameKind([...branches, node.else_expr], scope, path);
    }
    default:
      return 'other';
  }
}

/**
 * Refuse text read from rows where DuckDB needs a condition (WHERE, HAVING, FILTER, AND/OR,
 * NOT, CASE WHEN): it would convert each row's text to BOOLEAN and fail on one that does not.
 *
 * @example
 * ```ts
 * requireCondition(col('region'), scope, 'where_clause'); // refuses type-mismatch
 * ```
 */
export function requireCondition(value: unknown, scope: TableScope, path: string): void {
  if (valueKind(value, scope, path) === 'text') refuse('type-mismatch', path, 'text read from rows is used as a condition; compare it with a value');
}
