import type { LoadColumnType } from '../../core/engine-port.js';
import type { LoadLayout } from './load-layout.js';
import { quoteIdentifier } from './sql-text.js';

/** Engine-internal names of a load's temporary tables (in the writer's temp catalog). */
export const RAW_TABLE = '_raw';
export const STAGE_TABLE = '_stage';
export const REJECTS_TABLE = '_rejects';
const REJECT_SCANS_TABLE = '_reject_scans';

// Hex, or canonical Base64 of 32 bytes (the 43rd character leaves its low bits zero).
const HEX_DIGEST = "'[0-9A-Fa-f]{64}'";
const BASE64_DIGEST = "'[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]='";

const CAST_TYPE: Record<Exclude<LoadColumnType, 'text' | 'identifier'>, string> = {
  integer: 'BIGINT',
  // Exact to 6 decimal places, |v| < 10^12: int64-backed, about 70x faster to parse than
  // DECIMAL(38, x); sums widen to DECIMAL(38, 6) and stay exact.
  decimal: 'DECIMAL(18, 6)',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  boolean: 'BOOLEAN',
};

/**
 * The reading statement: the CSV (`$1` path, `$2` delimiter) read strictly as text into a
 * temp table, with each record's number. Malformed records go to the reader's rejects
 * table. Nothing else happens here: DuckDB numbers rows with a streaming window, and
 * everything computed on top of it would run on one thread.
 *
 * @example
 * ```ts
 * await connection.run(readSql(layout), [absolutePath, ',']);
 * ```
 */
export function readSql(layout: LoadLayout): string {
  const fileColumns = Array.from({ length: layout.fileColumnCount }, (_, i) => `'f${i}': 'VARCHAR'`).join(', ');
  return `CREATE TEMP TABLE ${RAW_TABLE} AS
SELECT row_number() OVER () AS _record, *
FROM read_csv($1, header = true, auto_detect = false, columns = {${fileColumns}},
  delim = $2, quote = '"', escape = '"', comment = '', compression = 'none', strict_mode = true,
  ignore_errors = true, store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECT_SCANS_TABLE}')`;
}

/**
 * The staging statement, over the read records: each planned value trimmed (empty is
 * NULL) and converted once, in parallel: typed columns by TRY_CAST, identifiers decoded
 * to their 32 digest bytes and re-keyed as HMAC-SHA256(room secret, digest bytes) =
 * sha256(opad ‖ sha256(ipad ‖ digest)), with `$1` = key ⊕ ipad and `$2` = key ⊕ opad as
 * blobs, stored as 64 lower-case hex digits. `_reject` is the code of the first failed
 * check (see LoadLayout.rejectCodes) or NULL.
 *
 * @example
 * ```ts
 * await connection.run(stageSql(layout), [ipadBlob, opadBlob]);
 * ```
 */
export function stageSql(layout: LoadLayout): string {
  const raw = layout.placed
    .map(({ fileIndex }, i) => (fileIndex === undefined ? `NULL::VARCHAR AS v${i}` : `NULLIF(trim(f${fileIndex}), '') AS v${i}`))
    .join(', ');
  const converted = layout.placed.map(({ column }, i) => `${convert(column.type, `v${i}`)} AS d${i}`).join(', ');
  const stored = layout.placed.map(({ column }, i) => `${store(column.type, `d${i}`)} AS c${i}`).join(', ');
  const checks: string[] = [];
  let code = 0;
  layout.placed.forEach(({ column }, i) => {
    if (column.required === true) checks.push(`WHEN v${i} IS NULL THEN ${++code}`);
    if (column.type !== 'text') checks.push(`WHEN v${i} IS NOT NULL AND d${i} IS NULL THEN ${++code}`);
  });
  const reject = checks.length === 0 ? 'NULL::INTEGER' : `CASE ${checks.join(' ')} END`;
  return `CREATE TEMP TABLE ${STAGE_TABLE} AS
SELECT _record, ${stored}, ${reject} AS _reject
FROM (SELECT *, ${converted} FROM (SELECT _record, ${raw} FROM ${RAW_TABLE}))`;
}

/**
 * The statement that stores the valid staged rows as a dataset version table, named and
 * (unless told not to) without exact duplicates.
 *
 * @example
 * ```ts
 * await connection.run(versionTableSql(layout, 'exposures__v2', true));
 * ```
 */
export function versionTableSql(layout: LoadLayout, table: string, deduplicate: boolean): string {
  const columns = layout.placed.map(({ column }, i) => `c${i} AS ${quoteIdentifier(column.name)}`);
  return `CREATE TABLE ${quoteIdentifier(table)} AS
SELECT ${deduplicate ? 'DISTINCT ' : ''}${columns.join(', ')}
FROM ${STAGE_TABLE} WHERE _reject IS NULL`;
}

function convert(type: LoadColumnType, value: string): string {
  switch (type) {
    case 'text':
      return value;
    case 'identifier':
      return `CASE WHEN regexp_full_match(${value}, ${HEX_DIGEST}) THEN unhex(${value})
        WHEN regexp_full_match(${value}, ${BASE64_DIGEST}) THEN from_base64(${value}) END`;
    default:
      return `TRY_CAST(${value} AS ${CAST_TYPE[type]})`;
  }
}

function store(type: LoadColumnType, value: string): string {
  switch (type) {
    case 'identifier':
      return `sha256($2::BLOB || unhex(sha256($1::BLOB || ${value})))`;
    case 'timestamp':
      // The instant as a UTC timestamp: the writer's TimeZone is UTC.
      return `CAST(${value} AS TIMESTAMP)`;
    default:
      return value;
  }
}
