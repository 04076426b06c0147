import type { RoomStore } from '../engine-port.js';
import { audienceTable, ident } from '../room-schema/room-sql.js';

/** The largest audience one activation run may hold. */
const MAX_AUDIENCE = 5_000_000;

/**
 * Reads an activation run's audience: its owner's person keys, in order.
 *
 * @example
 * ```ts
 * await readAudience(room, 'run_9'); // ['C100123', …]
 * ```
 */
export async function readAudience(room: RoomStore, runId: string): Promise<string[]> {
  const result = await room.query(`SELECT person_key FROM ${ident(audienceTable(runId))} ORDER BY 1`, [], { maxRows: MAX_AUDIENCE });
  return result.rows.map((row) => String(row.person_key));
}
