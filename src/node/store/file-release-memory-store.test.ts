import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReleaseMemories } from '../../core/privacy/difference/release-memory.js';
import { releaseMemoryStoreContract } from '../../core/privacy/difference/testing/release-memory-store-contract.js';
import { tempDir } from '../../../test/helpers/run-cleanroom.js';
import { FileReleaseMemoryStore } from './file-release-memory-store.js';

releaseMemoryStoreContract('file', () => FileReleaseMemoryStore.open(tempDir('cleanroom-memory-')));

const sketch = (people: number) => {
  const cells = new Uint32Array(1024);
  for (let i = 0; i < people; i++) cells[(i * 37) % 1024]!++;
  return { people, cells, fingerprint: String(people * 13) };
};

describe('FileReleaseMemoryStore', () => {
  it('keeps the salt and every remembered row across a restart, in a private file outside the room database', async () => {
    const dir = tempDir('cleanroom-memory-');
    const memory = await new ReleaseMemories(await FileReleaseMemoryStore.open(dir)).open('c_1', 100);
    await memory.remember([{ runId: 'run_1', analysis: 'attribution', table: 'attribution', row: 0, sketch: sketch(640) }]);
    await memory.rememberDataset('transactions', 3, sketch(900));
    const after = await new ReleaseMemories(await FileReleaseMemoryStore.open(dir)).open('c_1', 100);
    expect(after.settings).toEqual(memory.settings);
    expect(after.near([700])).toHaveLength(1);
    expect(after.near([700])[0]!.sketch.cells).toEqual(sketch(640).cells);
    expect(after.dataset('transactions')?.people).toBe(900);
    expect(statSync(join(dir, 'c_1.jsonl')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'c_1.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['settings', 'release', 'dataset']);
  });

  it('refuses a memory with a damaged line, naming file and line: no thresholded run proceeds without its memory', async () => {
    const dir = tempDir('cleanroom-memory-');
    const memories = new ReleaseMemories(await FileReleaseMemoryStore.open(dir));
    const memory = await memories.open('c_1', 100);
    await memory.remember([{ runId: 'run_1', analysis: 'reach', table: 'overall', row: 0, sketch: sketch(300) }]);
    const path = join(dir, 'c_1.jsonl');
    const [first, second] = readFileSync(path, 'utf8').trim().split('\n');
    writeFileSync(path, `${first}\n{"kind":"release","people":-1}\n${second}\n`);
    await expect(new ReleaseMemories(await FileReleaseMemoryStore.open(dir)).open('c_1', 100)).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringContaining(`${path}: line 2 is not a release memory record; no thresholded run or upload of this collaboration can proceed until the file is repaired`),
    });
  });

  it('refuses records that are not memory (a salt that is not hex, a sketch that is not Base64) and keys that are not ids', async () => {
    const store = await FileReleaseMemoryStore.open(tempDir('cleanroom-memory-'));
    await expect(store.append('c_1', [{ kind: 'settings', salt: 'not-a-salt', cells: 1024 }])).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.append('c_1', [{ kind: 'dataset', dataset: 'x', version: 1, people: 1, fingerprint: '1', sketch: '<script>' }])).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.read('../c_1')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await store.read('c_1')).toEqual([]);
  });
});
