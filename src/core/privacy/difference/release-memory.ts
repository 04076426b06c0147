import type { RoomStore } from '../../engine-port.js';
import { ident, releaseMemoryTables } from '../../room-schema/room-sql.js';
import { decodeSketch, encodeSketch, sketchCells } from './population-sketch.js';
import type { PopulationSketch, SketchSettings } from './population-sketch.js';

/** One released row's people, as the room remembers them. */
export interface RememberedRow {
  runId: string;
  analysis: string;
  table: string;
  row: number;
  sketch: PopulationSketch;
}

/**
 * What a room remembers of its releases for the difference check: the sketch settings and
 * the sketches of released rows, in the room's own database (beside the data they come from,
 * gone with it when the room is destroyed).
 *
 * @example
 * ```ts
 * const memory = await openReleaseMemory(room, 100);
 * const near = await memory.near([4200]); // sketches of released rows of 4,101 to 4,299 people
 * ```
 */
export interface ReleaseMemory {
  settings: SketchSettings;
  /** Remembered rows whose people count is within `minPeople − 1` of one of `people`. */
  near(people: readonly number[]): Promise<RememberedRow[]>;
  remember(rows: readonly RememberedRow[]): Promise<void>;
}

const S = ident(releaseMemoryTables.settings);
const R = ident(releaseMemoryTables.sketches);

/**
 * Opens the release memory of a room, creating its tables and its salt on first use.
 *
 * @example
 * ```ts
 * const memory = await openReleaseMemory(room, template.privacy.minPeople);
 * ```
 */
export async function openReleaseMemory(room: RoomStore, minPeople: number): Promise<ReleaseMemory> {
  const salt = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  await room.execute([
    { sql: `CREATE TABLE IF NOT EXISTS ${S} (salt VARCHAR NOT NULL, cells INTEGER NOT NULL)`, params: [] },
    { sql: `INSERT INTO ${S} SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM ${S})`, params: [salt, sketchCells(minPeople)] },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${R} (run_id VARCHAR NOT NULL, analysis VARCHAR NOT NULL, tbl VARCHAR NOT NULL, row_no INTEGER NOT NULL, people BIGINT NOT NULL, fingerprint VARCHAR NOT NULL, cells VARCHAR NOT NULL)`,
      params: [],
    },
  ]);
  const stored = (await room.query(`SELECT salt, cells FROM ${S} LIMIT 1`)).rows[0]!;
  const settings: SketchSettings = { salt: String(stored.salt), cells: Number(stored.cells) };
  return {
    settings,
    async near(people) {
      if (people.length === 0) return [];
      const ranges = people.map(() => '(people BETWEEN ? AND ?)').join(' OR ');
      const params = people.flatMap((n) => [n - (minPeople - 1), n + (minPeople - 1)]);
      const { rows } = await room.query(`SELECT run_id, analysis, tbl, row_no, people, fingerprint, cells FROM ${R} WHERE ${ranges}`, params);
      return rows.map((r) => ({
        runId: String(r.run_id),
        analysis: String(r.analysis),
        table: String(r.tbl),
        row: Number(r.row_no),
        sketch: decodeSketch(String(r.cells), String(r.fingerprint), settings.cells),
      }));
    },
    async remember(rows) {
      if (rows.length === 0) return;
      await room.execute(
        rows.map((r) => ({
          sql: `INSERT INTO ${R} VALUES (?, ?, ?, ?, ?, ?, ?)`,
          params: [r.runId, r.analysis, r.table, r.row, r.sketch.people, r.sketch.fingerprint, encodeSketch(r.sketch)],
        })),
      );
    },
  };
}
