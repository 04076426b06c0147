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
  /** Remembered rows whose people count is within `minPeople − 1` of one of `people` (held in memory after the first read). */
  near(people: readonly number[]): Promise<RememberedRow[]>;
  remember(rows: readonly RememberedRow[]): Promise<void>;
}

/**
 * The remembered rows of each open room, read from it once: this process is the room's only
 * writer (the data directory's lock), so the copy stays what the table holds. A room opened
 * again is a new object and reads afresh.
 */
const cache = new WeakMap<RoomStore, Promise<RememberedRow[]>>();

function rememberedRows(room: RoomStore, settings: SketchSettings): Promise<RememberedRow[]> {
  let rows = cache.get(room);
  if (rows === undefined) {
    rows = room.query(`SELECT run_id, analysis, tbl, row_no, fingerprint, cells FROM ${R}`).then((result) =>
      result.rows.map((r) => ({
        runId: String(r.run_id),
        analysis: String(r.analysis),
        table: String(r.tbl),
        row: Number(r.row_no),
        sketch: decodeSketch(String(r.cells), String(r.fingerprint), settings.cells),
      })),
    );
    cache.set(room, rows);
    rows.catch(() => cache.delete(room));
  }
  return rows;
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
  const settings = (await readSettings(room)) ?? (await createSettings(room, minPeople));
  return {
    settings,
    async near(people) {
      if (people.length === 0) return [];
      const all = await rememberedRows(room, settings);
      return all.filter((r) => people.some((n) => Math.abs(r.sketch.people - n) < minPeople));
    },
    async remember(rows) {
      if (rows.length === 0) return;
      await room.execute(
        rows.map((r) => ({
          sql: `INSERT INTO ${R} VALUES (?, ?, ?, ?, ?, ?, ?)`,
          params: [r.runId, r.analysis, r.table, r.row, r.sketch.people, r.sketch.fingerprint, encodeSketch(r.sketch)],
        })),
      );
      (await rememberedRows(room, settings)).push(...rows);
    },
  };
}

async function readSettings(room: RoomStore): Promise<SketchSettings | undefined> {
  // The tables do not exist before the room's first thresholded run: the read fails then.
  const stored = await room.query(`SELECT salt, cells FROM ${S} LIMIT 1`).then(
    (result) => result.rows[0],
    () => undefined,
  );
  return stored === undefined ? undefined : { salt: String(stored.salt), cells: Number(stored.cells) };
}

/** The room's first use: its tables, and a salt no party ever sees (so no one can aim a person at a cell). */
async function createSettings(room: RoomStore, minPeople: number): Promise<SketchSettings> {
  const salt = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  await room.execute([
    { sql: `CREATE TABLE IF NOT EXISTS ${S} (salt VARCHAR NOT NULL, cells INTEGER NOT NULL)`, params: [] },
    { sql: `INSERT INTO ${S} SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM ${S})`, params: [salt, sketchCells(minPeople)] },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${R} (run_id VARCHAR NOT NULL, analysis VARCHAR NOT NULL, tbl VARCHAR NOT NULL, row_no INTEGER NOT NULL, people BIGINT NOT NULL, fingerprint VARCHAR NOT NULL, cells VARCHAR NOT NULL)`,
      params: [],
    },
  ]);
  return (await readSettings(room))!;
}
