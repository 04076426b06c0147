import { decodeSketch, encodeSketch, sketchCells } from './population-sketch.js';
import type { PopulationSketch, SketchSettings } from './population-sketch.js';
import type { MemoryRecord, ReleaseMemoryStore } from './release-memory-store.js';

/** One released row's people, as the room remembers them. */
export interface RememberedRow {
  runId: string;
  analysis: string;
  table: string;
  row: number;
  sketch: PopulationSketch;
}

/**
 * What a collaboration remembers for the difference check: its sketch settings, the
 * sketches of the rows it released, and the sketch of each dataset's latest version.
 *
 * @example
 * ```ts
 * const memory = await memories.open('c_1', 100);
 * const near = memory.near([4200]); // sketches of released rows of 4,101 to 4,299 people
 * ```
 */
export interface ReleaseMemory {
  readonly settings: SketchSettings;
  /** Remembered rows whose people count is within `minPeople − 1` of one of `people`. */
  near(people: readonly number[]): RememberedRow[];
  /** Remembers released rows, durably before it resolves; a row of people already remembered is not stored twice. */
  remember(rows: readonly RememberedRow[]): Promise<void>;
  /** The people of the dataset's latest version, if one was sketched. */
  dataset(name: string): PopulationSketch | undefined;
  /** Remembers the people of a dataset's new version, durably before it resolves. */
  rememberDataset(name: string, version: number, sketch: PopulationSketch): Promise<void>;
}

/** One collaboration's memory once read. */
interface State {
  settings: SketchSettings;
  released: RememberedRow[];
  /** `people:fingerprint` of every released row: the same people twice are one memory. */
  seen: Set<string>;
  datasets: Map<string, PopulationSketch>;
}

/**
 * The release memories of a room's collaborations over one {@link ReleaseMemoryStore}, each
 * read once and then kept in this process (the data directory's lock makes it the only
 * writer; should another writer have appended, the store says so and the memory is read
 * again). The first use of a collaboration draws its salt, never shown to a party, so no
 * one can aim a person at a cell.
 *
 * @example
 * ```ts
 * const memories = new ReleaseMemories(await FileReleaseMemoryStore.open(dir));
 * const memory = await memories.open(collaboration.id, template.privacy.minPeople);
 * ```
 */
export class ReleaseMemories {
  readonly #store: ReleaseMemoryStore;
  readonly #states = new Map<string, Promise<State>>();

  constructor(store: ReleaseMemoryStore) {
    this.#store = store;
  }

  async open(key: string, minPeople: number): Promise<ReleaseMemory> {
    const state = await this.#state(key, minPeople);
    const { settings } = state;
    const append = async (records: MemoryRecord[]): Promise<void> => {
      if (records.length === 0) return;
      if (await this.#store.append(key, records)) return;
      // Another writer appended since the memory was read: read it again and add to it.
      this.#states.delete(key);
      await this.#state(key, minPeople);
      if (!(await this.#store.append(key, records))) throw new Error(`the release memory of ${key} keeps changing under this process`);
    };
    return {
      settings,
      near: (people) => (people.length === 0 ? [] : state.released.filter((r) => people.some((n) => Math.abs(r.sketch.people - n) < minPeople))),
      remember: async (rows) => {
        // The same people twice (earlier, or twice in this call) are stored once.
        const batch = new Set<string>();
        const fresh = rows.filter((r) => {
          const key = seenKey(r.sketch);
          if (state.seen.has(key) || batch.has(key)) return false;
          batch.add(key);
          return true;
        });
        await append(fresh.map(({ sketch, ...row }) => ({ kind: 'release', ...row, people: sketch.people, fingerprint: sketch.fingerprint, sketch: encodeSketch(sketch) })));
        for (const row of fresh) addRelease(state, row);
      },
      dataset: (name) => state.datasets.get(name),
      rememberDataset: async (name, version, sketch) => {
        await append([{ kind: 'dataset', dataset: name, version, people: sketch.people, fingerprint: sketch.fingerprint, sketch: encodeSketch(sketch) }]);
        state.datasets.set(name, sketch);
      },
    };
  }

  #state(key: string, minPeople: number): Promise<State> {
    let state = this.#states.get(key);
    if (state === undefined) {
      state = this.#load(key, minPeople);
      this.#states.set(key, state);
      state.catch(() => this.#states.get(key) === state && this.#states.delete(key));
    }
    return state;
  }

  async #load(key: string, minPeople: number): Promise<State> {
    let records = await this.#store.read(key);
    if (records.length === 0) {
      const settings: MemoryRecord = { kind: 'settings', salt: newSalt(), cells: sketchCells(minPeople) };
      // Compare-and-append: of two first uses, one salt wins and both read it.
      if (!(await this.#store.append(key, [settings], 0))) records = await this.#store.read(key);
      else records = [settings];
    }
    const first = records[0];
    if (first?.kind !== 'settings') throw new Error(`the release memory of ${key} does not start with its sketch settings`);
    const state: State = { settings: { salt: first.salt, cells: first.cells }, released: [], seen: new Set(), datasets: new Map() };
    for (const record of records) {
      if (record.kind === 'release') {
        const { kind: _kind, people: _people, fingerprint, sketch, ...row } = record;
        addRelease(state, { ...row, sketch: decodeSketch(sketch, fingerprint, first.cells) });
      } else if (record.kind === 'dataset') {
        state.datasets.set(record.dataset, decodeSketch(record.sketch, record.fingerprint, first.cells));
      }
    }
    return state;
  }
}

function addRelease(state: State, row: RememberedRow): void {
  const key = seenKey(row.sketch);
  if (state.seen.has(key)) return;
  state.seen.add(key);
  state.released.push(row);
}

function seenKey(sketch: PopulationSketch): string {
  return `${sketch.people}:${sketch.fingerprint}`;
}

function newSalt(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
