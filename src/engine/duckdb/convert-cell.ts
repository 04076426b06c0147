import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBBlobValue, DuckDBDecimalValue, DuckDBTypeId } from '@duckdb/node-api';
import type { Cell, CellType } from '../../core/engine-port.js';

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
]);
const NUMBER_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL]);
const STRING_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.VARCHAR, DuckDBTypeId.ENUM, DuckDBTypeId.UUID, DuckDBTypeId.BLOB]);
const TIMESTAMP_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

/**
 * The portable kind of a DuckDB column type.
 *
 * @example
 * ```ts
 * cellTypeOf(DuckDBTypeId.HUGEINT); // 'integer'
 * cellTypeOf(DuckDBTypeId.DECIMAL); // 'number'
 * ```
 */
export function cellTypeOf(typeId: DuckDBTypeId): CellType {
  if (INTEGER_TYPES.has(typeId)) return 'integer';
  if (NUMBER_TYPES.has(typeId)) return 'number';
  if (STRING_TYPES.has(typeId)) return 'string';
  if (typeId === DuckDBTypeId.BOOLEAN) return 'boolean';
  if (typeId === DuckDBTypeId.DATE) return 'date';
  if (TIMESTAMP_TYPES.has(typeId)) return 'timestamp';
  return 'other';
}

/**
 * A DuckDB value as a plain JS cell: integers as numbers when safe (else their decimal
 * text), DECIMAL as a number, blobs as lower-case hex, dates, timestamps and everything
 * else as DuckDB's own text form (timestamps with time zone are rendered in UTC).
 *
 * @example
 * ```ts
 * toCell(42n); // 42
 * toCell(2n ** 64n); // '18446744073709551616'
 * ```
 */
export function toCell(value: DuckDBValue): Cell {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    default:
      if (value instanceof DuckDBDecimalValue) return Number(value.toString());
      if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('hex');
      return value.toString();
  }
}
