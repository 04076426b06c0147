import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { CleanRoomError } from '../../core/errors.js';
import { openParserInstance } from './parser-instance.js';
import { checkSelectTree } from './statement-policy.js';
import { quoteLiteral } from './sql-text.js';

const MAX_SQL_LENGTH = 1_000_000;

/**
 * Parses analysis SQL, without binding or running it, on its own DuckDB instance that holds
 * no data and is locked down: whatever a crafted string could do there, it reaches nothing.
 *
 * @example
 * ```ts
 * const parser = await SelectParser.open();
 * await parser.check('SELECT count(*) FROM exposures', new Set(['exposures'])); // passes
 * await parser.check('SELECT 1; DROP TABLE x', new Set()); // throws refused
 * parser.close();
 * ```
 */
export class SelectParser {
  readonly #instance: DuckDBInstance;

  private constructor(instance: DuckDBInstance) {
    this.#instance = instance;
  }

  static async open(): Promise<SelectParser> {
    return new SelectParser(await openParserInstance());
  }

  /**
   * Refuse (code 'refused') anything but one SELECT over `tables` that passes
   * {@link checkSelectTree}. The message names the construct, never a value.
   */
  async check(sql: string, tables: ReadonlySet<string>): Promise<void> {
    if (sql.length > MAX_SQL_LENGTH) throw refused(`it is longer than ${MAX_SQL_LENGTH} characters`);
    // One connection per check: checks of concurrent queries never share one.
    const connection = await this.#instance.connect();
    try {
      await checkOn(connection, sql, tables);
    } finally {
      connection.closeSync();
    }
  }

  close(): void {
    this.#instance.closeSync();
  }
}

async function checkOn(connection: DuckDBConnection, sql: string, tables: ReadonlySet<string>): Promise<void> {
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch {
    throw refused('it does not parse');
  }
  if (count !== 1) throw refused(`it holds ${count} statements, one is allowed`);
  let tree: unknown;
  try {
    // json_serialize_sql takes only a constant: the text goes in as a quoted literal, and
    // prepare() refuses a string that would have become two statements.
    const prepared = await connection.prepare(`SELECT json_serialize_sql(${quoteLiteral(sql)})`);
    try {
      const reader = await prepared.runAndReadAll();
      tree = JSON.parse(String(reader.getRows()[0]?.[0]));
    } finally {
      prepared.destroySync();
    }
  } catch (error) {
    if (error instanceof CleanRoomError) throw refused('it contains a control character');
    throw refused('it cannot be analysed');
  }
  const refusal = checkSelectTree(tree, tables);
  if (refusal !== undefined) throw refused(refusal.reason);
}

function refused(why: string): CleanRoomError {
  return new CleanRoomError('refused', `Cannot run the statement in the sandbox: ${why}`, { details: { reason: why } });
}
