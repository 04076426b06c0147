import { resolve } from 'node:path';
import type { DatasetVersion, LoadPlan, LoadResult, QueryOptions, QueryResult, RoomStore, SqlParam, SqlStatement } from '../../core/engine-port.js';
import { CleanRoomError } from '../../core/errors.js';
import { engineError } from './engine-failure.js';
import { executeStatements } from './execute-statements.js';
import { expireVersions } from './expire-versions.js';
import { loadCsv } from './load-csv.js';
import { openSandbox } from './open-sandbox.js';
import type { Sandbox } from './open-sandbox.js';
import { ReadWriteLock } from './read-write-lock.js';
import type { RoomContext } from './room-context.js';
import { runQuery } from './run-query.js';
import type { SelectParser } from './select-parser.js';
import type { SqlSerializer } from './serialize-sql.js';
import { withWriter } from './with-writer.js';
import { dropWorkingCopy, sealRoom, shredRoom } from './sealed-room.js';

/**
 * The data-free parsers a room shares with the other rooms of its engine: the backstop
 * check of every sandboxed query, and the serializer of custom SQL trees.
 *
 * @example
 * ```ts
 * const parsers: RoomParsers = { parser: () => SelectParser.open(), serializer: () => SqlSerializer.open() };
 * ```
 */
export interface RoomParsers {
  parser: () => Promise<SelectParser>;
  serializer: () => Promise<SqlSerializer>;
}

/**
 * The DuckDB room of one collaboration. Exactly one DuckDB instance has the room's file
 * open at any time: the read-only sandbox (shared by concurrent queries) or a short-lived
 * writer (alone, under the exclusive lock). DuckDB does not stop two instances of one
 * process from opening a file, so this class does.
 *
 * @example
 * ```ts
 * const room = new DuckDbRoom(context, { parser: getParser, serializer: getSerializer }, () => registry.delete('collab-7'));
 * await room.query('SELECT count(*) AS n FROM exposures');
 * const tree = await room.parseSql('SELECT count(*) AS n FROM exposures');
 * ```
 */
export class DuckDbRoom implements RoomStore {
  readonly collaborationId: string;
  readonly encryptedAtRest: boolean;
  readonly #context: RoomContext;
  readonly #parser: () => Promise<SelectParser>;
  readonly #serializer: () => Promise<SqlSerializer>;
  readonly #onGone: () => void;
  readonly #lock = new ReadWriteLock();
  #sandbox: Promise<Sandbox> | undefined;
  #persisting: Promise<void> | undefined;
  #state: 'open' | 'closed' | 'destroyed' = 'open';

  constructor(context: RoomContext, parsers: RoomParsers, onGone: () => void) {
    this.collaborationId = context.collaborationId;
    this.encryptedAtRest = context.keys.encryptedAtRest;
    this.#context = context;
    this.#parser = parsers.parser;
    this.#serializer = parsers.serializer;
    this.#onGone = onGone;
  }

  loadCsv(path: string, plan: LoadPlan): Promise<LoadResult> {
    const file = resolve(path);
    return this.#write(() => withWriter(this.#context, { allowedPaths: [file] }, (c) => loadCsv(c, this.#context, file, plan)));
  }

  execute(statements: readonly SqlStatement[], options: { durable?: boolean } = {}): Promise<void> {
    const seal = options.durable !== false;
    return this.#write(() => withWriter(this.#context, { seal }, (c) => executeStatements(c, statements, this.collaborationId)));
  }

  persist(): Promise<void> {
    this.#assertUsable();
    // Shared: the sandbox goes on reading the working copy while it is sealed; writers wait.
    this.#persisting ??= this.#lock
      .shared(async () => {
        if (this.#context.unsealed === true) await sealRoom(this.#context, { restore: false });
      })
      .finally(() => {
        this.#persisting = undefined;
      });
    return this.#persisting;
  }

  query(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { timeoutMs = this.#context.settings.query.timeoutMs, maxRows = this.#context.settings.query.maxRows } = options;
    return this.#read(async (sandbox) => {
      await (await this.#parser()).check(sql, sandbox.tables);
      const connection = await sandbox.connect();
      try {
        return await runQuery(connection, sql, params, { timeoutMs, maxRows, collaborationId: this.collaborationId });
      } finally {
        connection.closeSync();
      }
    });
  }

  async parseSql(sql: string): Promise<unknown> {
    this.#assertUsable();
    return (await this.#serializer()).serialize(sql);
  }

  async printSql(tree: unknown): Promise<string> {
    this.#assertUsable();
    return (await this.#serializer()).deserialize(tree);
  }

  expireVersions(before: string): Promise<readonly DatasetVersion[]> {
    return this.#write(() => withWriter(this.#context, {}, (c) => expireVersions(c, before)));
  }

  datasets(): Promise<readonly DatasetVersion[]> {
    return this.#read(async (sandbox) => {
      const connection = await sandbox.connect();
      try {
        const reader = await connection.runAndReadAll(
          `SELECT dataset, version, table_name, row_count, epoch_ms(created_at),
                  version = max(version) OVER (PARTITION BY dataset)
           FROM _cleanroom_versions ORDER BY created_at, dataset, version`,
        );
        return reader.getRows().map(([dataset, version, table, rows, createdMs, current]) => ({
          dataset: String(dataset),
          version: Number(version),
          table: String(table),
          rows: Number(rows),
          createdAt: new Date(Number(createdMs)).toISOString(),
          current: current === true,
        }));
      } finally {
        connection.closeSync();
      }
    });
  }

  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    await this.#lock.exclusive(async () => {
      if (this.#state !== 'open') return;
      await this.#closeSandbox();
      // A change left unsealed by a non-durable step is sealed now, before its copy goes.
      if (this.#context.unsealed === true) await sealRoom(this.#context);
      this.#state = 'closed';
      // The plaintext copy goes with the room: it is on disk only sealed.
      await dropWorkingCopy(this.#context.paths);
      this.#onGone();
    });
  }

  async destroy(): Promise<void> {
    this.#assertUsable();
    await this.#lock.exclusive(async () => {
      this.#assertUsable();
      await this.#closeSandbox();
      this.#state = 'destroyed';
      await shredRoom(this.#context.paths);
      this.#onGone();
    });
  }

  async #read<T>(work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
    this.#assertUsable();
    return this.#lock.shared(async () => {
      this.#assertUsable();
      this.#sandbox ??= openSandbox(this.#context);
      let sandbox: Sandbox;
      try {
        sandbox = await this.#sandbox;
      } catch (error) {
        this.#sandbox = undefined;
        throw error;
      }
      // The safety net: whatever escapes below leaves the room without the engine's message.
      return work(sandbox).catch((error: unknown) => {
        throw engineError(error, `Cannot read the room of collaboration ${this.collaborationId}: the engine failed`);
      });
    });
  }

  async #write<T>(work: () => Promise<T>): Promise<T> {
    this.#assertUsable();
    return this.#lock.exclusive(async () => {
      this.#assertUsable();
      await this.#closeSandbox();
      return work().catch((error: unknown) => {
        throw engineError(error, `Cannot write the room of collaboration ${this.collaborationId}: the engine failed`);
      });
    });
  }

  async #closeSandbox(): Promise<void> {
    const pending = this.#sandbox;
    this.#sandbox = undefined;
    if (pending === undefined) return;
    try {
      (await pending).close();
    } catch {
      // A sandbox that never opened has nothing to close.
    }
  }

  #assertUsable(): void {
    if (this.#state !== 'open') {
      throw new CleanRoomError('invalid_argument', `Cannot use the room of collaboration ${this.collaborationId}: it was ${this.#state}`, {
        details: { collaborationId: this.collaborationId },
      });
    }
  }
}
