/**
 * The small interface core needs from a SQL engine: one private store ("room") per
 * collaboration that loads prepared CSV files as immutable dataset versions, runs trusted
 * compiled statements, and runs compiled analysis SELECTs in a sandbox.
 *
 * No engine types cross this boundary: values are plain JS, errors are CleanRoomError.
 * The default implementation is DuckDB (src/engine/duckdb); a distributed SQL engine can
 * implement the same interface for collaborations too large for one machine.
 *
 * @example
 * ```ts
 * const room = await engine.openRoom('collab-7', { create: true });
 * const loaded = await room.loadCsv('/uploads/exposures.csv', {
 *   dataset: 'exposures',
 *   columns: [
 *     { name: 'email', type: 'identifier', required: true },
 *     { name: 'campaign', type: 'text' },
 *   ],
 * });
 * const { rows } = await room.query(
 *   'SELECT campaign, count(DISTINCT email) AS people FROM exposures GROUP BY campaign HAVING count(DISTINCT email) >= ?',
 *   [100],
 *   { timeoutMs: 10_000 },
 * );
 * await room.close();
 * ```
 */

/** A value bound to a positional parameter (`?` or `$1`) of compiled SQL. */
export type SqlParam = string | number | bigint | boolean | null;

/** One trusted, compiled statement and its bound parameters. */
export interface SqlStatement {
  sql: string;
  params?: readonly SqlParam[];
}

/**
 * A value in a query result. Integers are numbers when they are safe integers
 * (|v| ≤ 2^53 − 1) and their decimal text otherwise; DECIMAL and floating-point values
 * are numbers; dates are 'YYYY-MM-DD'; timestamps 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC for
 * time-zone-aware ones, with a '+00' suffix); blobs lower-case hex; anything else (lists,
 * structs, intervals) the engine's text form.
 */
export type Cell = string | number | boolean | null;

/** The portable kind of a result column. */
export type CellType = 'integer' | 'number' | 'string' | 'boolean' | 'date' | 'timestamp' | 'other';

/** One result column: its name (made unique by suffixes `_1`, `_2` if repeated) and kind. */
export interface ResultColumn {
  name: string;
  type: CellType;
}

/** Rows of a query, each an object keyed by column name. */
export interface QueryResult {
  columns: readonly ResultColumn[];
  rows: readonly Record<string, Cell>[];
}

/** Limits of one sandboxed query. */
export interface QueryOptions {
  /** Wall-clock limit; the query is interrupted and refused with 'timeout'. Default 30 000. */
  timeoutMs?: number;
  /** More rows than this is refused (never silently truncated). Default 100 000. */
  maxRows?: number;
}

/** How a column of an uploaded CSV is validated and stored. */
export type LoadColumnType = 'identifier' | 'text' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean';

/** One column of a dataset, as the template declares it. */
export interface LoadColumn {
  /** The stored column name: a lower-case SQL identifier (`[a-z][a-z0-9_]*`). */
  name: string;
  /** The CSV header naming it (matched case-insensitively); defaults to `name`. */
  header?: string;
  /**
   * 'identifier': a SHA-256 (or client-HMAC) digest as 64 hex digits or 44 Base64
   * characters; it is stored only re-keyed, as HMAC-SHA256(room secret, digest bytes),
   * 64 lower-case hex digits. 'integer': 64-bit. 'decimal': exact to 6 decimal places,
   * |v| < 10^12 (more decimals are rounded). 'timestamp': ISO-8601, an offset honoured,
   * stored in UTC. 'date': YYYY-MM-DD. 'boolean': true/false, t/f, 1/0, yes/no.
   */
  type: LoadColumnType;
  /** A row without a value here is rejected. Default false. */
  required?: boolean;
  /** The only values accepted (compared after trimming); a row with another is rejected. */
  allowedValues?: readonly string[];
  /** Inclusive bounds of an integer or decimal column; a row outside is rejected. */
  range?: readonly [number, number];
}

/** What to load and how: compiled by core from the template's dataset. */
export interface LoadPlan {
  /** The dataset name: `[a-z][a-z0-9_]*`, no double underscore, at most 48 characters. */
  dataset: string;
  columns: readonly LoadColumn[];
  /** The CSV field delimiter, one character. Default ','. */
  delimiter?: string;
  /** More rejected rows than this fails the whole load (nothing is stored). Default: no limit. */
  maxRejectedRows?: number;
  /** Remove rows identical in every stored column. Default true. */
  deduplicate?: boolean;
  /** How many rejected rows to describe in the result. Default 100. */
  rejectSamples?: number;
  /** Columns of which every row must have at least one value ('no_identifier' otherwise), e.g. an identity graph's identifiers. */
  requireOneOf?: readonly string[];
}

/** Why a row was rejected. */
export type RejectReason =
  | 'malformed_row'
  | 'missing'
  | 'not_a_hash'
  | 'not_an_integer'
  | 'not_a_number'
  | 'not_a_date'
  | 'not_a_timestamp'
  | 'not_a_boolean'
  | 'not_allowed'
  | 'out_of_range'
  | 'no_identifier';

/**
 * One rejected row. `line` counts the header as line 1 and one line per record: exact
 * unless the file has blank lines or quoted fields spanning lines. Never carries the value.
 */
export interface LoadReject {
  line: number;
  column: string;
  reason: RejectReason;
}

/** The outcome of a committed load: the new version and its quality figures. */
export interface LoadResult {
  dataset: string;
  version: number;
  /** The table holding this version; the view named after the dataset shows the latest. */
  table: string;
  rowsRead: number;
  rowsRejected: number;
  duplicatesRemoved: number;
  rowsStored: number;
  /** Per identifier column: the share (0..1) of stored rows that have a value. */
  fillRate: Record<string, number>;
  /** The first rejected rows, in file order (at most `rejectSamples`). */
  rejects: readonly LoadReject[];
  /** CSV columns the plan does not name: ignored, never stored. */
  ignoredColumns: readonly string[];
}

/** One stored version of a dataset. */
export interface DatasetVersion {
  dataset: string;
  version: number;
  table: string;
  rows: number;
  /** ISO-8601 time of the commit. */
  createdAt: string;
  /** True for the latest version (the one the dataset's view shows). */
  current: boolean;
}

/**
 * The private store of one collaboration. Calls may overlap: queries run concurrently;
 * loads and `execute` wait for running queries and run alone.
 *
 * @example
 * ```ts
 * const versions = await room.datasets(); // [{ dataset: 'exposures', version: 1, current: true, ... }]
 * await room.execute([{ sql: 'CREATE TABLE matched AS SELECT ...', params: [] }]);
 * await room.destroy(); // data, keys and files are gone
 * ```
 */
export interface RoomStore {
  readonly collaborationId: string;
  /** Whether the store's files are encrypted at rest by the engine. */
  readonly encryptedAtRest: boolean;
  /**
   * Load a prepared CSV as the next version of a dataset, atomically: either the new
   * version is committed and becomes current, or nothing changes. Bad rows are rejected
   * and described; a file that cannot be read at all, a missing required column or too
   * many rejects fails with 'invalid_input'.
   */
  loadCsv(path: string, plan: LoadPlan): Promise<LoadResult>;
  /**
   * Run trusted, compiled statements (DDL/DML) in one transaction: all or nothing, and
   * durable when it returns. `durable: false` is for the intermediate steps of a job whose
   * last step is durable (a match's rounds): the change is visible at once but may be lost
   * in a crash until the next durable write (or close), which saves a sealed room one
   * sealing per step.
   */
  execute(statements: readonly SqlStatement[], options?: { durable?: boolean }): Promise<void>;
  /**
   * Makes the changes of non-durable steps durable (a sealed room seals its working copy;
   * otherwise there is nothing to do). Queries may run meanwhile; writes wait for it.
   */
  persist(): Promise<void>;
  /**
   * Run one compiled SELECT in the sandbox: read-only data, no file, network, extension
   * or configuration access, a time limit and a row limit. Anything but a single SELECT
   * over the room's tables is refused ('refused'); engine errors never reach the caller
   * verbatim ('internal', 'timeout').
   */
  query(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult>;
  /**
   * The engine's own syntax tree of one SQL text, without binding or running it (DuckDB:
   * the JSON of `json_serialize_sql`, parsed on an instance that holds no data). Text that
   * holds several statements gives a tree with that many statements, so a checker refuses it
   * by rule; text that does not parse is refused ('refused'). For custom SQL, which is checked
   * on this tree before anything runs.
   */
  parseSql(sql: string): Promise<unknown>;
  /**
   * SQL text re-emitted by the engine from a tree of {@link RoomStore.parseSql} (DuckDB:
   * `json_deserialize_sql`), so what runs is printed from what was checked, never the
   * submitted text. A tree the engine cannot print is refused ('refused').
   */
  printSql(tree: unknown): Promise<string>;
  /** Every stored dataset version, oldest first. */
  datasets(): Promise<readonly DatasetVersion[]>;
  /**
   * Deletes every dataset version committed before `before` (ISO time) — its rows are gone
   * — and the view of a dataset left with none; returns what was deleted. Retention.
   */
  expireVersions(before: string): Promise<readonly DatasetVersion[]>;
  /** Release the engine's resources; the room stays on disk. Idempotent. */
  close(): Promise<void>;
  /** Delete the room: its data, its keys and every file under it. Irreversible. */
  destroy(): Promise<void>;
}

/** Options of {@link RoomEngine.openRoom}. */
export interface OpenRoomOptions {
  /** Create the room (with fresh keys) when it does not exist. Default false: 'not_found'. */
  create?: boolean;
}

/**
 * The engine: opens one {@link RoomStore} per collaboration.
 *
 * @example
 * ```ts
 * const room = await engine.openRoom('collab-7', { create: true });
 * await engine.roomExists('collab-7'); // true
 * await engine.close(); // closes every room it opened
 * ```
 */
export interface RoomEngine {
  openRoom(collaborationId: string, options?: OpenRoomOptions): Promise<RoomStore>;
  roomExists(collaborationId: string): Promise<boolean>;
  /**
   * Destroys a room whether or not it is open or can be opened: its keys first, then its
   * files. A missing room is no error.
   */
  destroyRoom(collaborationId: string): Promise<void>;
  close(): Promise<void>;
}
