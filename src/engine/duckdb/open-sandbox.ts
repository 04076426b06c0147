import { mkdir } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { engineError } from './engine-failure.js';
import { attachRoom, createInstance, lockDown, ROOM_ALIAS } from './instance-setup.js';
import type { RoomContext } from './room-context.js';

/** A locked-down instance that reads one room. */
export interface Sandbox {
  /** A new connection whose default database is the room (read-only). */
  connect(): Promise<DuckDBConnection>;
  /** The room's tables and views analyses may name, lower-case. */
  readonly tables: ReadonlySet<string>;
  close(): void;
}

/**
 * Open the analysis sandbox of a room: an in-memory DuckDB instance that attaches the
 * room's file READ_ONLY, then is locked down (only the room's temp directory allowed,
 * external access off, extensions off, configuration locked) before any analysis
 * connection exists. A sealed room's file and spill files are in its RAM-backed work dir.
 *
 * @example
 * ```ts
 * const sandbox = await openSandbox(context);
 * const connection = await sandbox.connect();
 * ```
 */
export async function openSandbox(context: RoomContext): Promise<Sandbox> {
  const { paths, settings, collaborationId } = context;
  await mkdir(paths.temp, { recursive: true, mode: 0o700 });
  const instance = await createInstance(settings.sandbox, paths.temp, settings);
  try {
    const setup = await instance.connect();
    try {
      await setup.run("SET GLOBAL TimeZone = 'UTC'");
      await attachRoom(setup, paths.database, { readOnly: true });
      const reader = await setup.runAndReadAll(
        `SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = '${ROOM_ALIAS}' AND schema_name = 'main'
         UNION ALL
         SELECT lower(view_name) FROM duckdb_views() WHERE database_name = '${ROOM_ALIAS}' AND schema_name = 'main' AND NOT internal`,
      );
      const tables = new Set(
        reader
          .getRows()
          .map((row) => String(row[0]))
          .filter((name) => !name.startsWith('_cleanroom')),
      );
      await lockDown(setup, { allowedDirectories: [paths.temp] });
      return {
        tables,
        async connect() {
          const connection = await instance.connect();
          await connection.run(`USE ${ROOM_ALIAS}`);
          return connection;
        },
        close() {
          instance.closeSync();
        },
      };
    } finally {
      setup.closeSync();
    }
  } catch (error) {
    instance.closeSync();
    throw engineError(error, `Cannot open the analysis sandbox of collaboration ${collaborationId}: the engine failed`);
  }
}
