import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { CleanRoomError } from '../../core/errors.js';
import { openParserInstance } from './parser-instance.js';
import { quoteLiteral } from './sql-text.js';

const MAX_SQL_LENGTH = 100_000;

/**
 * Turns SQL text into DuckDB's own syntax tree (the JSON of `json_serialize_sql`), without
 * binding or running it, on a DuckDB instance that holds no data and is locked down — the
 * same pattern as SelectParser. The tree is what the custom-SQL checker reads.
 *
 * @example
 * ```ts
 * const serializer = await SqlSerializer.open();
 * const tree = await serializer.serialize('SELECT count(*) FROM exposures');
 * // tree.statements[0].node.type === 'SELECT_NODE'
 * serializer.close();
 * ```
 */
export class SqlSerializer {
  readonly #instance: DuckDBInstance;

  private constructor(instance: DuckDBInstance) {
    this.#instance = instance;
  }

  static async open(): Promise<SqlSerializer> {
    return new SqlSerializer(await openParserInstance());
  }

  /**
   * The parse tree of `sql`. Text holding more than one statement gives a tree with
   * `statements` of that length (so the checker refuses it by rule); text that does not
   * parse, or holds a control character, throws a CleanRoomError with code 'refused'.
   */
  async serialize(sql: string): Promise<unknown> {
    if (sql.length > MAX_SQL_LENGTH) throw refused(`it is longer than ${MAX_SQL_LENGTH} characters`);
    const connection = await this.#instance.connect();
    try {
      return await serializeOn(connection, sql);
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Re-emit a checked tree as SQL text with DuckDB's own `json_deserialize_sql`, so that what
   * runs is printed from what was checked rather than the submitted text. The tree goes in as
   * a bound parameter.
   *
   * @example
   * ```ts
   * await serializer.deserialize(tree); // 'SELECT count_star() FROM exposures'
   * ```
   */
  async deserialize(tree: unknown): Promise<string> {
    const connection = await this.#instance.connect();
    try {
      const prepared = await connection.prepare('SELECT json_deserialize_sql($1::JSON)');
      try {
        // Source positions go: DuckDB writes "none" as 2^64-1, which a JS number cannot hold.
        prepared.bindVarchar(1, JSON.stringify(tree, (key, value: unknown) => (key === 'query_location' ? undefined : value)));
        const reader = await prepared.runAndReadAll();
        return String(reader.getRows()[0]?.[0]);
      } finally {
        prepared.destroySync();
      }
    } catch {
      throw refused('the tree cannot be turned back into SQL');
    } finally {
      connection.closeSync();
    }
  }

  close(): void {
    this.#instance.closeSync();
  }
}

async function serializeOn(connection: DuckDBConnection, sql: string): Promise<unknown> {
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch {
    throw refused('it does not parse');
  }
  // json_serialize_sql reports a multi-statement text as an error; keep the count visible.
  if (count !== 1) return { error: false, statements: Array.from({ length: count }, () => ({ node: { type: 'UNCHECKED_STATEMENT' } })) };
  let literal: string;
  try {
    literal = quoteLiteral(sql);
  } catch {
    throw refused('it contains a control character');
  }
  try {
    const prepared = await connection.prepare(`SELECT json_serialize_sql(${literal})`);
    try {
      const reader = await prepared.runAndReadAll();
      return JSON.parse(String(reader.getRows()[0]?.[0])) as unknown;
    } finally {
      prepared.destroySync();
    }
  } catch {
    throw refused('it cannot be analysed');
  }
}

function refused(why: string): CleanRoomError {
  return new CleanRoomError('refused', `Cannot check the custom SQL: ${why}`, { details: { reason: why } });
}
