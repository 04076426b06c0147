/**
 * One line of a collaboration's release memory, JSON-ready: the sketch settings (written
 * once, first), a released row's people, or a dataset version's people. Sketches are in
 * their stored form (`encodeSketch`).
 *
 * @example
 * ```ts
 * const line: MemoryRecord = { kind: 'release', runId: 'run_1', analysis: 'reach', table: 'overall', row: 0, people: 4200, fingerprint: '991…', sketch: 'AAAB…' };
 * ```
 */
export type MemoryRecord =
  | { kind: 'settings'; salt: string; cells: number }
  | { kind: 'release'; runId: string; analysis: string; table: string; row: number; people: number; fingerprint: string; sketch: string }
  | { kind: 'dataset'; dataset: string; version: number; people: number; fingerprint: string; sketch: string };

/**
 * The persistence the difference check needs (see release-memory.ts): an append-only list
 * of records per key (one key per collaboration), durable before `append` resolves. With
 * `expectedLength`, `append` adds the records only if the list still holds exactly that
 * many, atomically, and says whether it did (how two writers agree on one salt). Kept
 * outside the room's database on purpose: a write there per run makes the engine's next
 * queries cold (bench/README.md, the DP comparison), and custom SQL can never name it.
 *
 * @example
 * ```ts
 * const records = await store.read('c_1');
 * await store.append('c_1', [{ kind: 'settings', salt, cells: 1024 }], 0); // false if someone wrote first
 * ```
 */
export interface ReleaseMemoryStore {
  read(key: string): Promise<readonly MemoryRecord[]>;
  append(key: string, records: readonly MemoryRecord[], expectedLength?: number): Promise<boolean>;
}

/**
 * An in-memory {@link ReleaseMemoryStore} for tests, benchmarks and demos: it forgets every
 * release on restart. Each call awaits a microtask first, so concurrent callers interleave.
 *
 * @example
 * ```ts
 * const memories = new ReleaseMemories(new MemoryReleaseMemoryStore());
 * ```
 */
export class MemoryReleaseMemoryStore implements ReleaseMemoryStore {
  readonly #logs = new Map<string, MemoryRecord[]>();

  async read(key: string): Promise<readonly MemoryRecord[]> {
    await Promise.resolve();
    return structuredClone(this.#logs.get(key) ?? []);
  }

  async append(key: string, records: readonly MemoryRecord[], expectedLength?: number): Promise<boolean> {
    await Promise.resolve();
    const log = this.#logs.get(key) ?? [];
    if (expectedLength !== undefined && log.length !== expectedLength) return false;
    log.push(...structuredClone(records));
    this.#logs.set(key, log);
    return true;
  }
}
