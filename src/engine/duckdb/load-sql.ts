import type { LoadColumnType } from '../../core/engine-port.js';
import type { LoadLayout } from './load-layout.js';
import { quoteIdentifier } from './sql-text.js';

/** Engine-internal names of a load's temporary tables (in the writer's temp catalog). */
export const STAGE_TABLE = '_stage';
export const REJECTS_TABLE = '_rejects';
const REJECT_SCANS_TABLE = '_reject_scans';

// Hex, or canonical Base64 of 32 bytes (the 43rd character leaves its low bits zero).
const HASH_CHECK = (value: string): string =>
  `(regexp_full_match(${value}, '[0-9A-Fa-f]{64}') OR regexp_full_match(${value}, '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]='))`;

const CAST_TYPE: Record<Exclude<LoadColumnType, 'text' | 'identifier'>, string> = {
  integer: 'BIGINT',
  decimal: 'DECIMAL(38, 9)',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  boolean: 'BOOLEAN',
};

/**
 * The staging statement: reads the CSV (`$1` path, `$2` delimiter) strictly as text into a
 * temp table, one row per record with its record number, every planned value trimmed
 * (empty is NULL), and `_reject`, the code of the first failed check (see
 * LoadLayout.rejectCodes) or NULL. Malformed records go to the reader's rejects table.
 *
 * @example
 * ```ts
 * await connection.run(stageSql(layout), [absolutePath, ',']);
 * ```
 */
export function stageSql(layout: LoadLayout): string {
  const fileColumns = Array.from({ length: layout.fileColumnCount }, (_, i) => `'f${i}': 'VARCHAR'`).join(', ');
  const values = layout.placed
    .map(({ fileIndex }, i) => (fileIndex === undefined ? `NULL::VARCHAR AS v${i}` : `NULLIF(trim(f${fileIndex}), '') AS v${i}`))
    .join(', ');
  const checks: string[] = [];
  let code = 0;
  layout.placed.forEach(({ column }, i) => {
    const value = `v${i}`;
    if (column.required === true) checks.push(`WHEN ${value} IS NULL THEN ${++code}`);
    if (column.type === 'identifier') checks.push(`WHEN ${value} IS NOT NULL AND NOT ${HASH_CHECK(value)} THEN ${++code}`);
    else if (column.type !== 'text') {
      checks.push(`WHEN ${value} IS NOT NULL AND TRY_CAST(${value} AS ${CAST_TYPE[column.type]}) IS NULL THEN ${++code}`);
    }
  });
  const reject = checks.length === 0 ? 'NULL::INTEGER' : `CASE ${checks.join(' ')} END`;
  return `CREATE TEMP TABLE ${STAGE_TABLE} AS
SELECT row_number() OVER () AS _record, *, ${reject} AS _reject
FROM (
  SELECT ${values}
  FROM read_csv($1, header = true, auto_detect = false, columns = {${fileColumns}},
    delim = $2, quote = '"', escape = '"', comment = '', compression = 'none', strict_mode = true,
    ignore_errors = true, store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECT_SCANS_TABLE}')
)`;
}

/**
 * The statement that stores the valid staged rows as a dataset version table, typed, with
 * identifiers re-keyed in SQL as HMAC-SHA256(room secret, digest bytes):
 * sha256(opad ‖ sha256(ipad ‖ digest)), `$1` = key ⊕ ipad and `$2` = key ⊕ opad as blobs.
 *
 * @example
 * ```ts
 * await connection.run(versionTableSql(layout, 'exposures__v2', true), [ipadBlob, opadBlob]);
 * ```
 */
export function versionTableSql(layout: LoadLayout, table: string, deduplicate: boolean): string {
  const columns = layout.placed.map(({ column }, i) => `${storedValue(column.type, `v${i}`)} AS ${quoteIdentifier(column.name)}`);
  return `CREATE TABLE ${quoteIdentifier(table)} AS
SELECT ${deduplicate ? 'DISTINCT ' : ''}${columns.join(', ')}
FROM ${STAGE_TABLE} WHERE _reject IS NULL`;
}

function storedValue(type: LoadColumnType, value: string): string {
  switch (type) {
    case 'text':
      return value;
    case 'identifier': {
      const digest = `CASE WHEN length(${value}) = 64 THEN unhex(${value}) ELSE from_base64(${value}) END`;
      return `CASE WHEN ${value} IS NULL THEN NULL ELSE sha256($2::BLOB || unhex(sha256($1::BLOB || ${digest}))) END`;
    }
    case 'timestamp':
      // Offsets are honoured, then the instant is stored as a UTC timestamp (TimeZone is UTC).
      return `CAST(CAST(${value} AS TIMESTAMPTZ) AS TIMESTAMP)`;
    default:
      return `CAST(${value} AS ${CAST_TYPE[type]})`;
  }
}
