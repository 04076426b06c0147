import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/privacy/budget/ledger-store.js';
import { PrivacyLedger } from '../../core/privacy/budget/privacy-ledger.js';
import { tempDir } from '../../../test/helpers/run-cleanroom.js';
import { FileLedgerStore } from './file-ledger-store.js';

const entry = (party: string, epsilon = '1/10'): LedgerEntry => ({ party, cost: { epsilon, delta: '0/1', rho: '0/1' }, at: 1, period: 0, reference: `run_${party}` });
const line = (e: LedgerEntry) => `${JSON.stringify(e)}\n`;

describe('FileLedgerStore', () => {
  it('keeps every acknowledged charge across a restart, one JSON line each, and goes on at the right version', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const first = await FileLedgerStore.open(dir);
    expect(await first.append('c_1', entry('p_a'), 0)).toBe(true);
    expect(await first.append('c_1', entry('p_b'), 1)).toBe(true);
    expect(readFileSync(join(dir, 'c_1.jsonl'), 'utf8')).toBe(line(entry('p_a')) + line(entry('p_b')));
    const again = await FileLedgerStore.open(dir);
    expect((await again.read('c_1')).map((e) => e.party)).toEqual(['p_a', 'p_b']);
    expect(await again.append('c_1', entry('p_c'), 1)).toBe(false);
    expect(await again.append('c_1', entry('p_c'), 2)).toBe(true);
  });

  it('a PrivacyLedger refuses after a restart what the budget no longer holds', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const budget = { collaboration: { epsilon: 0.3 } };
    const before = new PrivacyLedger({ store: await FileLedgerStore.open(dir), key: 'c_1', budget, clock: () => 0 });
    await before.charge('p_a', { epsilon: 0.2 });
    const after = new PrivacyLedger({ store: await FileLedgerStore.open(dir), key: 'c_1', budget, clock: () => 0 });
    await expect(after.charge('p_a', { epsilon: 0.2 })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/ε=0.1 remains/) });
    expect((await after.remaining('p_a')).collaboration.epsilon).toBeCloseTo(0.1, 12);
  });

  it('moves a last line cut short by a crash to <key>.jsonl.torn and continues from the last whole line', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const cut = line(entry('p_b')).slice(0, 25);
    writeFileSync(join(dir, 'c_1.jsonl'), line(entry('p_a')) + cut);
    const store = await FileLedgerStore.open(dir);
    expect((await store.read('c_1')).map((e) => e.party)).toEqual(['p_a']);
    const torn = JSON.parse(readFileSync(join(dir, 'c_1.jsonl.torn'), 'utf8')) as { offset: number; base64: string };
    expect(Buffer.from(torn.base64, 'base64').toString('utf8')).toBe(cut);
    expect(torn.offset).toBe(line(entry('p_a')).length);
    expect(await store.append('c_1', entry('p_c'), 1)).toBe(true);
    expect(readFileSync(join(dir, 'c_1.jsonl'), 'utf8')).toBe(line(entry('p_a')) + line(entry('p_c')));
  });

  it('keeps a last charge written whole but without its line break (never acknowledged: counting it only overstates the spend)', async () => {
    const dir = tempDir('cleanroom-ledger-');
    writeFileSync(join(dir, 'c_1.jsonl'), line(entry('p_a')) + JSON.stringify(entry('p_b')));
    const store = await FileLedgerStore.open(dir);
    expect((await store.read('c_1')).map((e) => e.party)).toEqual(['p_a', 'p_b']);
    expect(await store.append('c_1', entry('p_c'), 2)).toBe(true);
    expect(readFileSync(join(dir, 'c_1.jsonl'), 'utf8').split('\n')).toHaveLength(4);
  });

  it('refuses to read or charge a ledger with a damaged line before its end, naming the file and line, until it is repaired', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const path = join(dir, 'c_1.jsonl');
    writeFileSync(path, `${line(entry('p_a'))}{"party":"p_b"}\n${line(entry('p_c'))}`);
    const store = await FileLedgerStore.open(dir);
    await expect(store.read('c_1')).rejects.toMatchObject({ code: 'io_error', message: expect.stringContaining(`${path}: line 2 is not a ledger entry`) });
    await expect(store.append('c_1', entry('p_d'), 3)).rejects.toMatchObject({ code: 'io_error' });
    expect(await store.read('c_2')).toEqual([]); // other collaborations are unaffected
    writeFileSync(path, line(entry('p_a')) + line(entry('p_c')));
    expect(await store.read('c_1')).toHaveLength(2);
  });

  it('refuses keys that are not ids (no path traversal) and entries that are not charges', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const store = await FileLedgerStore.open(dir);
    await expect(store.read('../c_1')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.append('c_1', { ...entry('p_a'), cost: { epsilon: 'lots', delta: '0/1', rho: '0/1' } }, 0)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await store.read('c_1')).toEqual([]);
  });

  it('notices a charge another process appended since the file was read, and re-reads it', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const mine = await FileLedgerStore.open(dir);
    const theirs = await FileLedgerStore.open(dir);
    expect(await mine.read('c_1')).toEqual([]);
    expect(await theirs.append('c_1', entry('p_b'), 0)).toBe(true);
    expect(await mine.append('c_1', entry('p_a'), 0)).toBe(false);
    expect((await mine.read('c_1')).map((e) => e.party)).toEqual(['p_b']);
    expect(await mine.append('c_1', entry('p_a'), 1)).toBe(true);
  });

  it('serialises appends per key: of concurrent appends at one version exactly one lands on disk', async () => {
    const dir = tempDir('cleanroom-ledger-');
    const store = await FileLedgerStore.open(dir);
    appendFileSync(join(dir, 'c_9.jsonl'), '');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('c_9', entry(`p_${i}`), 0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(readFileSync(join(dir, 'c_9.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
