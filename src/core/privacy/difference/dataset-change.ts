import type { RoomStore } from '../../engine-port.js';
import { ident, personExpression } from '../../room-schema/room-sql.js';
import type { Template } from '../../template/index.js';
import type { ReleaseMemory } from './release-memory.js';
import { decodeSketch, differsByFewer, readSketch, sketchSelect } from './population-sketch.js';

/** How a dataset's new version changed its people against the version before. */
export interface DatasetChange {
  /** `first`: no version before; `same`: the same people; `few`: 1 to minPeople − 1 people apart; `many`: more. */
  change: 'first' | 'same' | 'few' | 'many';
  people: number;
}

/**
 * The re-upload check: sketches the people of a dataset's version just loaded, compares them
 * with the previous version's and remembers the new sketch. A version a few people apart from
 * the one before is how one person is differenced out of a result ("run, re-upload without
 * the target, run again"): the upload is marked in the audit and counted as an incident, and
 * every analysis over it answers only where the difference check allows.
 *
 * @example
 * ```ts
 * const { change } = await checkDatasetChange(room, memory, template, 'referrals', 7);
 * change; // 'few'
 * ```
 */
export async function checkDatasetChange(room: RoomStore, memory: ReleaseMemory, template: Template, dataset: string, version: number): Promise<DatasetChange> {
  const { minPeople } = template.privacy;
  const { cells } = memory.settings;
  const { rows } = await room.query(`SELECT ${sketchSelect(personExpression(template, dataset, 'x'), memory.settings)} FROM ${ident(dataset)} x`);
  const sketch = readSketch(rows[0] ?? {}, cells) ?? decodeSketch('[]', '0', cells);
  const previous = memory.dataset(dataset);
  await memory.rememberDataset(dataset, version, sketch);
  if (previous === undefined) return { change: 'first', people: sketch.people };
  if (differsByFewer(sketch, previous, minPeople)) return { change: 'few', people: sketch.people };
  return { change: previous.people === sketch.people && previous.fingerprint === sketch.fingerprint ? 'same' : 'many', people: sketch.people };
}
