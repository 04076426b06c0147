import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CleanRoomError } from '../../core/errors.js';
import { readCsvHeader } from './read-csv-header.js';
import { quoteIdentifier, quoteLiteral } from './sql-text.js';

/** Where and how a double-blind upload is staged: its file, the identifier columns, a private spill directory. */
export interface BlindStagingInput {
  upload: string;
  /** The identifier columns the template declares (those the header has are used). */
  columns: readonly string[];
  /** Spill files of the scratch engine go here (the upload's private directory). */
  tempDirectory: string;
}

/**
 * The distinct, non-empty identifier cells of a double-blind upload in a secret order (sorted
 * by MD5 under a fresh random salt, so a position says nothing about the owner's row order),
 * written one per line to `out`; DuckDB does the distinct and the sort, spilling to disk, so
 * memory stays flat whatever the upload's size. Returns the rows read, the columns present
 * and how many values were written.
 *
 * @example
 * ```ts
 * await shuffledSingles({ upload, columns: ['email'], tempDirectory }, 'singles.txt', salt); // { rows: 1000, present: ['email'], count: 998 }
 * ```
 */
export async function shuffledSingles(input: BlindStagingInput, out: string, salt: string): Promise<{ rows: number; present: string[]; count: number }> {
  return withScratch(input, async (connection, header, present) => {
    await connection.run(`CREATE TEMP TABLE u AS SELECT * FROM ${readCsv(header.length)}`, [input.upload]);
    const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM u')).getRows()[0]![0]);
    const cells = present.map((name) => `NULLIF(trim(f${header.indexOf(name)}), '')`).join(', ');
    await connection.run(`CREATE TEMP TABLE s AS SELECT DISTINCT v FROM (SELECT unnest([${cells}]) AS v FROM u) WHERE v IS NOT NULL`);
    const count = Number((await connection.runAndReadAll('SELECT count(*) FROM s')).getRows()[0]![0]);
    await connection.run(`COPY (SELECT v FROM s ORDER BY md5(${quoteLiteral(salt)} || v)) TO ${quoteLiteral(out)} (FORMAT csv, HEADER false, QUOTE '')`);
    return { rows, present, count };
  });
}

/**
 * Where the given values sit in the upload: the first `limit` cells, in file order, holding
 * one of them, as 1-based line (the header is line 1) and column, with the column's name.
 *
 * @example
 * ```ts
 * await locateCells({ upload, columns: ['email'], tempDirectory }, ['0fa3…'], 20); // [{ line: 7, column: 2, field: 'email', value: '0fa3…' }]
 * ```
 */
export async function locateCells(input: BlindStagingInput, values: readonly string[], limit: number): Promise<{ line: number; column: number; field: string; value: string }[]> {
  if (values.length === 0) return [];
  return withScratch(input, async (connection, header, present) => {
    await connection.run(`CREATE TEMP TABLE u AS SELECT row_number() OVER () AS rn, * FROM ${readCsv(header.length)}`, [input.upload]);
    await connection.run(`CREATE TEMP TABLE bad AS SELECT unnest(${listLiteral(values)}) AS v`);
    const found: { line: number; column: number; field: string; value: string }[] = [];
    for (const name of present) {
      const at = header.indexOf(name);
      const reader = await connection.runAndReadAll(`SELECT rn, trim(f${at}) FROM u JOIN bad ON trim(u.f${at}) = bad.v ORDER BY rn LIMIT ${limit}`);
      for (const [rn, value] of reader.getRows()) found.push({ line: Number(rn) + 1, column: at + 1, field: name, value: String(value) });
    }
    return found.sort((a, b) => a.line - b.line || a.column - b.column).slice(0, limit);
  });
}

/**
 * The upload with every identifier cell replaced by its double, from `pairs` (a headerless
 * CSV of `single,double` lines), in the upload's row order, written as CSV with the upload's
 * header to `out`: what the room re-keys and loads. A non-empty cell without a double throws
 * `internal` before anything is written (the exchange is incomplete), so no single ever
 * reaches the room's tables.
 *
 * @example
 * ```ts
 * await replaceWithDoubles({ upload, columns: ['email'], tempDirectory }, 'pairs.csv', 'loadable.csv');
 * ```
 */
export async function replaceWithDoubles(input: BlindStagingInput, pairs: string, out: string): Promise<void> {
  await withScratch(input, async (connection, header, present) => {
    await connection.run(`CREATE TEMP TABLE u AS SELECT row_number() OVER () AS rn, * FROM ${readCsv(header.length)}`, [input.upload]);
    await connection.run(`CREATE TEMP TABLE p AS SELECT * FROM read_csv($1, header = false, auto_detect = false, columns = {'s': 'VARCHAR', 'd': 'VARCHAR'}, delim = ',', quote = '', compression = 'none')`, [pairs]);
    const joins = present.map((name, i) => `LEFT JOIN p p${i} ON p${i}.s = NULLIF(trim(u.f${header.indexOf(name)}), '')`).join('\n');
    const missing = present.map((name, i) => `(NULLIF(trim(u.f${header.indexOf(name)}), '') IS NOT NULL AND p${i}.d IS NULL)`).join(' OR ');
    const unpaired = Number((await connection.runAndReadAll(`SELECT count(*) FROM u ${joins} WHERE ${missing}`)).getRows()[0]![0]);
    if (unpaired > 0) throw new CleanRoomError('internal', `Cannot replace the blinded identifiers: ${unpaired} rows hold a value the exchange has no double for`);
    const selected = header.map((name, at) => {
      const i = present.indexOf(name);
      return `${i < 0 ? `u.f${at}` : `p${i}.d`} AS ${quoteIdentifier(name)}`;
    });
    await connection.run(`COPY (SELECT ${selected.join(', ')} FROM u ${joins} ORDER BY u.rn) TO ${quoteLiteral(out)} (FORMAT csv, HEADER true)`);
  });
}

async function withScratch<T>(input: BlindStagingInput, work: (connection: DuckDBConnection, header: string[], present: string[]) => Promise<T>): Promise<T> {
  const header = (await readCsvHeader(input.upload, ',', 'the double-blind upload')).map((name) => name.trim());
  const wanted = new Set(input.columns.map((c) => c.toLowerCase()));
  const present = header.filter((name) => wanted.has(name.toLowerCase()));
  if (present.length === 0) {
    throw new CleanRoomError('invalid_input', `Cannot read the double-blind upload: its header (${header.join(', ')}) has none of the identifier columns ${input.columns.join(', ')}`, { details: { line: 1 } });
  }
  // A private scratch engine: nothing of it outlives the call but the files it writes.
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: '512MB',
    temp_directory: input.tempDirectory,
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    allow_community_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    return await work(connection, header, present);
  } catch (error) {
    if (error instanceof CleanRoomError) throw error;
    throw new CleanRoomError('invalid_input', `Cannot read the double-blind upload as CSV: ${(error as Error).message.split('\n')[0]}`, { details: { file: 'upload' } });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function readCsv(columns: number): string {
  const fileColumns = Array.from({ length: columns }, (_, i) => `'f${i}': 'VARCHAR'`).join(', ');
  return `read_csv($1, header = true, auto_detect = false, columns = {${fileColumns}}, delim = ',', quote = '"', escape = '"', comment = '', compression = 'none', strict_mode = true)`;
}

function listLiteral(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]::VARCHAR[]`;
}
