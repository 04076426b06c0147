import type { LoadColumnType } from '../../core/engine-port.js';
import type { LoadLayout } from './load-layout.js';
import { quoteIdentifier, quoteLiteral } from './sql-text.js';

/** Engine-internal names of a load's temporary tables (in the writer's temp catalog). */
export const STAGE_TABLE = '_stage';
export const NUMBERED_TABLE = '_numbered';
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
 * The staging statement, one parallel pass over the CSV (`$1` path, `$2` delimiter, read
 * strictly as text; malformed records go to the reader's rejects table): each planned
 * value trimmed (empty is NULL) and converted once, typed columns by TRY_CAST, identifiers
 * decoded to their 32 digest bytes and re-keyed as HMAC-SHA256(room secret, digest bytes)
 * = sha256(opad ‖ sha256(ipad ‖ digest)), with `$3` = key ⊕ ipad and `$4` = key ⊕ opad as
 * blobs, stored as 64 lower-case hex digits. `_reject` is the code of the first failed
 * check (see LoadLayout.rejectCodes) or NULL.
 *
 * @example
 * ```ts
 * await connection.run(stageSql(layout), [absolutePath, ',', ipadBlob, opadBlob]);
 * ```
 */
export function stageSql(layout: LoadLayout): string {
  const stored = layout.placed.map(({ column }, i) => `${store(column.type, `d${i}`)} AS c${i}`).join(', ');
  return `CREATE TEMP TABLE ${STAGE_TABLE} AS
SELECT ${stored}, ${rejectCase(layout)} AS _reject
FROM (SELECT *, ${converted(layout)} FROM (SELECT ${values(layout)} FROM ${readCsv(layout, true)}))`;
}

/**
 * Number the CSV's records (`$1` path, `$2` delimiter), only when a load has rejects to
 * place. Apart: DuckDB numbers rows with a streaming window, and whatever is computed on
 * top of one runs on a single thread.
 *
 * @example
 * ```ts
 * await connection.run(numberedSql(layout), [absolutePath, ',']);
 * ```
 */
export function numberedSql(layout: LoadLayout): string {
  return `CREATE TEMP TABLE ${NUMBERED_TABLE} AS SELECT row_number() OVER () AS _record, * FROM ${readCsv(layout, false)}`;
}

/**
 * The first rejected records (`$1` = how many) with their reject code, in file order,
 * over the numbered records: the same checks as {@link stageSql}, without re-keying.
 *
 * @example
 * ```ts
 * const reader = await connection.runAndReadAll(rejectSamplesSql(layout), [100]);
 * ```
 */
export function rejectSamplesSql(layout: LoadLayout): string {
  return `SELECT _record, _reject FROM (
  SELECT _record, ${rejectCase(layout)} AS _reject
  FROM (SELECT *, ${converted(layout)} FROM (SELECT _record, ${values(layout)} FROM ${NUMBERED_TABLE}))
) WHERE _reject IS NOT NULL ORDER BY _record LIMIT $1`;
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

function readCsv(layout: LoadLayout, storeRejects: boolean): string {
  const fileColumns = Array.from({ length: layout.fileColumnCount }, (_, i) => `'f${i}': 'VARCHAR'`).join(', ');
  const rejects = storeRejects
    ? `, store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECT_SCANS_TABLE}'`
    : '';
  return `read_csv($1, header = true, auto_detect = false, columns = {${fileColumns}},
    delim = $2, quote = '"', escape = '"', comment = '', compression = 'none', strict_mode = true,
    ignore_errors = true${rejects})`;
}

function values(layout: LoadLayout): string {
  return layout.placed
    .map(({ fileIndex }, i) => (fileIndex === undefined ? `NULL::VARCHAR AS v${i}` : `NULLIF(trim(f${fileIndex}), '') AS v${i}`))
    .join(', ');
}

function converted(layout: LoadLayout): string {
  return layout.placed.map(({ column }, i) => `${convert(column.type, `v${i}`)} AS d${i}`).join(', ');
}

function rejectCase(layout: LoadLayout): string {
  const checks: string[] = [];
  let code = 0;
  layout.placed.forEach(({ column }, i) => {
    if (column.required === true) checks.push(`WHEN v${i} IS NULL THEN ${++code}`);
    if (column.type !== 'text') checks.push(`WHEN v${i} IS NOT NULL AND d${i} IS NULL THEN ${++code}`);
    // Template values, checked by the load plan; quoted as literals like every constant here.
    if (column.allowedValues !== undefined) checks.push(`WHEN v${i} IS NOT NULL AND v${i} NOT IN (${column.allowedValues.map(quoteLiteral).join(', ')}) THEN ${++code}`);
    if (column.range !== undefined) checks.push(`WHEN d${i} IS NOT NULL AND (d${i} < ${Number(column.range[0])} OR d${i} > ${Number(column.range[1])}) THEN ${++code}`);
  });
  if (layout.oneOf.length > 0) checks.push(`WHEN ${layout.oneOf.map((i) => `d${i} IS NULL`).join(' AND ')} THEN ${++code}`);
  return checks.length === 0 ? 'NULL::INTEGER' : `CASE ${checks.join(' ')} END`;
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
      return `sha256($4::BLOB || unhex(sha256($3::BLOB || ${value})))`;
    case 'timestamp':
      // The instant as a UTC timestamp: the writer's TimeZone is UTC.
      return `CAST(${value} AS TIMESTAMP)`;
    default:
      return value;
  }
}
