import { CleanRoomError } from '../../core/errors.js';

// Control characters other than tab and line breaks cannot appear in anything we quote:
// NUL in particular could end the text early on the C side of the engine.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A SQL identifier in double quotes, inner quotes doubled. For names the engine or the
 * template chose (tables, columns, CSV headers), never for user input.
 *
 * @example
 * ```ts
 * quoteIdentifier('email'); // '"email"'
 * quoteIdentifier('Full "name"'); // '"Full ""name"""'
 * ```
 */
export function quoteIdentifier(name: string): string {
  refuseControl(name, 'identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A SQL string literal, inner quotes doubled. Only for values DuckDB cannot take as bound
 * parameters (ATTACH paths, SET values, json_serialize_sql's constant argument).
 *
 * @example
 * ```ts
 * quoteLiteral("/data/o'brien/room.duckdb"); // "'/data/o''brien/room.duckdb'"
 * ```
 */
export function quoteLiteral(text: string): string {
  refuseControl(text, 'literal');
  return `'${text.replaceAll("'", "''")}'`;
}

function refuseControl(text: string, what: string): void {
  if (CONTROL.test(text)) {
    throw new CleanRoomError('invalid_argument', `Cannot quote a SQL ${what}: it contains a control character other than tab or a line break`);
  }
}
