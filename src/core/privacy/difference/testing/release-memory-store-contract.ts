import { describe, expect, it } from 'vitest';
import type { MemoryRecord, ReleaseMemoryStore } from '../release-memory-store.js';
import { ReleaseMemories } from '../release-memory.js';
import type { PopulationSketch } from '../population-sketch.js';

const settings: MemoryRecord = { kind: 'settings', salt: '0123456789abcdef0123456789abcdef', cells: 256 };
const release = (runId: string, people: number): MemoryRecord => ({ kind: 'release', runId, analysis: 'reach', table: 'overall', row: 0, people, fingerprint: String(people * 7), sketch: 'AAAAAA==' });

/** A sketch of `people` people spread over the 1,024 cells of a room with a crowd minimum of 100. */
function sketchOf(people: number, fingerprint: string): PopulationSketch {
  const cells = new Uint32Array(1024);
  for (let i = 0; i < people; i++) cells[i % 1024]!++;
  return { people, cells, fingerprint };
}

/**
 * The contract every {@link ReleaseMemoryStore} must keep, as a vitest suite, with what
 * {@link ReleaseMemories} builds on it: call it from a test file with a factory of empty
 * stores (memory, file…); `reopen` gives a second store over the same data where the store
 * is durable.
 *
 * @example
 * ```ts
 * releaseMemoryStoreContract('memory', () => new MemoryReleaseMemoryStore());
 * ```
 */
export function releaseMemoryStoreContract(name: string, makeStore: () => ReleaseMemoryStore | Promise<ReleaseMemoryStore>): void {
  describe(`ReleaseMemoryStore contract: ${name}`, () => {
    it('starts empty and returns records in append order, per key', async () => {
      const store = await makeStore();
      expect(await store.read('c_1')).toEqual([]);
      expect(await store.append('c_1', [settings, release('run_1', 150)])).toBe(true);
      expect(await store.append('c_1', [release('run_2', 170)])).toBe(true);
      expect(await store.append('c_2', [settings])).toBe(true);
      expect((await store.read('c_1')).map((r) => r.kind)).toEqual(['settings', 'release', 'release']);
      expect(await store.read('c_2')).toEqual([settings]);
    });

    it('appends at an expected length only there, and exactly one of many concurrent first writers wins', async () => {
      const store = await makeStore();
      expect(await store.append('c_1', [settings], 1)).toBe(false);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.append('c_1', [settings], 0)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.read('c_1')).toHaveLength(1);
    });

    it('is unaffected by callers mutating what they read', async () => {
      const store = await makeStore();
      await store.append('c_1', [settings]);
      const read = (await store.read('c_1')) as MemoryRecord[];
      read.pop();
      expect(await store.read('c_1')).toHaveLength(1);
    });

    it('under ReleaseMemories: one salt per collaboration, drawn once even by concurrent first uses', async () => {
      const store = await makeStore();
      const memories = new ReleaseMemories(store);
      const opened = await Promise.all([memories.open('c_1', 100), new ReleaseMemories(store).open('c_1', 100), memories.open('c_2', 100)]);
      expect(opened[0].settings).toEqual(opened[1].settings);
      expect(opened[0].settings.salt).toMatch(/^[0-9a-f]{32}$/);
      expect(opened[2].settings.salt).not.toBe(opened[0].settings.salt);
      expect(opened[0].settings.cells).toBe(1024);
      expect((await store.read('c_1')).filter((r) => r.kind === 'settings')).toHaveLength(1);
    });

    it('under ReleaseMemories: finds remembered rows near a size, stores the same people once, keeps the latest dataset sketch', async () => {
      const store = await makeStore();
      const memory = await new ReleaseMemories(store).open('c_1', 100);
      const a = sketchOf(4200, '11');
      await memory.remember([{ runId: 'run_1', analysis: 'reach', table: 'overall', row: 0, sketch: a }]);
      await memory.remember([
        { runId: 'run_2', analysis: 'reach', table: 'overall', row: 0, sketch: a },
        { runId: 'run_2', analysis: 'reach', table: 'byKey', row: 0, sketch: sketchOf(300, '5') },
        { runId: 'run_2', analysis: 'reach', table: 'byKey', row: 1, sketch: sketchOf(300, '5') },
      ]);
      expect(memory.near([4299]).map((r) => r.runId)).toEqual(['run_1']);
      expect(memory.near([4300, 4100])).toEqual([]);
      expect((await store.read('c_1')).filter((r) => r.kind === 'release')).toHaveLength(2);
      await memory.rememberDataset('buyers', 1, sketchOf(500, '3'));
      await memory.rememberDataset('buyers', 2, sketchOf(499, '4'));
      expect(memory.dataset('buyers')?.fingerprint).toBe('4');
      expect(memory.dataset('readers')).toBeUndefined();
      // A second process's view of the same store reads back exactly what was remembered.
      const again = await new ReleaseMemories(store).open('c_1', 100);
      expect(again.settings).toEqual(memory.settings);
      expect(again.near([4200])[0]?.sketch.cells).toEqual(a.cells);
      expect(again.dataset('buyers')?.people).toBe(499);
    });
  });
}
