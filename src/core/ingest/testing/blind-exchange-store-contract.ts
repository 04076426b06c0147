import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { UploadSource } from '../upload-dataset.js';
import type { BlindExchangeStore, BlindRecord } from '../blind-exchange-store.js';

/** A record with one waiting upload, small but of the real shape. */
export function sampleBlindRecord(): BlindRecord {
  return {
    keyChecks: { p_a: 'aa'.repeat(32) },
    lastUpload: { a_keys: 1 },
    uploads: [
      {
        name: '1-a_keys',
        dataset: 'a_keys',
        upload: 1,
        owner: 'p_a',
        ownerKeyId: 'k_a',
        columns: ['email'],
        rows: 1,
        at: '2026-12-07T00:00:00.000Z',
        exchange: { ref: { collaboration: 'c_1', dataset: 'a_keys', version: 1 }, owner: 'p_a', blinder: 'p_b', batchSize: 4096, count: 1, batches: {} },
      },
    ],
  };
}

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  const encoded = new TextEncoder().encode(text);
  yield encoded.subarray(0, 3);
  yield encoded.subarray(3);
}

/**
 * The behaviour every `BlindExchangeStore` shares; run it against each implementation.
 *
 * @example
 * ```ts
 * blindExchangeStoreContract('memory', async () => new MemoryBlindExchangeStore());
 * ```
 */
export function blindExchangeStoreContract(name: string, open: () => Promise<BlindExchangeStore>): void {
  describe(`BlindExchangeStore contract: ${name}`, () => {
    it('reads an empty record for a collaboration it never saw', async () => {
      expect(await (await open()).read('c_new')).toEqual({ keyChecks: {}, uploads: [], lastUpload: {} });
    });

    it('reads back what was written, per collaboration, and the last write wins', async () => {
      const store = await open();
      await store.write('c_1', sampleBlindRecord());
      await store.write('c_2', { keyChecks: { p_b: 'cc'.repeat(32) }, uploads: [], lastUpload: {} });
      expect(await store.read('c_1')).toEqual(sampleBlindRecord());
      await store.write('c_1', { ...sampleBlindRecord(), uploads: [] });
      expect((await store.read('c_1')).uploads).toEqual([]);
      expect((await store.read('c_2')).keyChecks).toEqual({ p_b: 'cc'.repeat(32) });
    });

    it('keeps its own copy: changing a written or read object changes nothing stored', async () => {
      const store = await open();
      const record = sampleBlindRecord();
      await store.write('c_1', record);
      record.keyChecks.p_a = 'changed';
      (await store.read('c_1')).keyChecks.p_a = 'changed too';
      expect((await store.read('c_1')).keyChecks.p_a).toBe('aa'.repeat(32));
    });

    const hex = (c: string) => c.repeat(64);
    const check = (value: string) => (/^[0-9a-f]{64}$/.test(value) ? undefined : 'not hex');
    const text = async (source: UploadSource): Promise<string> => {
      if (typeof source === 'string') return readFile(source, 'utf8');
      let out = '';
      for await (const chunk of source) out += new TextDecoder().decode(chunk);
      return out;
    };

    it('stages an upload\'s distinct singles in batches, and gives it back with each replaced by its double', async () => {
      const store = await open();
      await store.keepUpload('c_1', '1-a_keys', bytes(`email,store,phone\n${hex('a')},"north, 1",\n${hex('b')},south,${hex('c')}\n${hex('a')},east,\n,west,\n`));
      const staged = await store.stageSingles('c_1', '1-a_keys', { columns: ['email', 'phone', 'zip'], batchSize: 2, check });
      expect(staged).toEqual({ rows: 4, present: ['email', 'phone'], count: 3, batches: 2, problems: [] });
      const lists = [await store.getValues('c_1', '1-a_keys', 'singles-0'), await store.getValues('c_1', '1-a_keys', 'singles-1')];
      expect(lists.map((l) => l.length)).toEqual([2, 1]);
      expect(new Set(lists.flat())).toEqual(new Set([hex('a'), hex('b'), hex('c')]));
      for (const [i, list] of lists.entries()) await store.putValues('c_1', '1-a_keys', `doubles-${i}`, list.map((v) => v.replaceAll(v[0]!, 'd' + v[0]).slice(0, 64)));
      const loadable = await text(await store.loadableUpload('c_1', '1-a_keys', { columns: staged.present, batches: 2 }));
      const double = (c: string) => `d${c}`.repeat(32);
      expect(loadable.trim().split('\n')).toEqual(['email,store,phone', `${double('a')},"north, 1",`, `${double('b')},south,${double('c')}`, `${double('a')},east,`, ',west,']);
    });

    it('finds the refused cells of an upload with their line and column, and keeps no list of it', async () => {
      const store = await open();
      // Thirty good values around one bad one: the secret order almost surely puts good ones first.
      const good = [...'abcdef0123456789'].flatMap((c) => [hex(c), `${hex(c).slice(0, 63)}0`]).slice(0, 30);
      const lines = good.map((value, i) => `s${i},${value}`);
      lines.splice(15, 0, 'y,jane@example.com');
      await store.keepUpload('c_1', '2-a_keys', bytes(`store,email\n${lines.join('\n')}\n`));
      const staged = await store.stageSingles('c_1', '2-a_keys', { columns: ['email'], batchSize: 1, check });
      expect(staged.problems).toEqual([{ line: 17, column: 2, field: 'email', reason: 'not a blinded identifier: not hex' }]);
      expect(staged.batches).toBe(0);
      for (let i = 0; i < good.length; i++) await expect(store.getValues('c_1', '2-a_keys', `singles-${i}`)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('keeps value lists apart per upload, and forgets one upload whole', async () => {
      const store = await open();
      await store.keepUpload('c_1', '1-a_keys', bytes('email\nxy\n'));
      await store.putValues('c_1', '1-a_keys', 'singles-0', ['a', 'b']);
      await store.putValues('c_1', '1-a_keys', 'singles-0', ['c']);
      await store.putValues('c_1', '2-a_keys', 'singles-0', ['d']);
      expect(await store.getValues('c_1', '1-a_keys', 'singles-0')).toEqual(['c']);
      await store.removeUpload('c_1', '1-a_keys');
      await expect(store.getValues('c_1', '1-a_keys', 'singles-0')).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.stageSingles('c_1', '1-a_keys', { columns: ['email'], batchSize: 2, check })).rejects.toThrow();
      expect(await store.getValues('c_1', '2-a_keys', 'singles-0')).toEqual(['d']);
      await store.removeUpload('c_1', '9-never');
    });

    it('forgets a removed collaboration with its uploads, and removing an unknown one is no error', async () => {
      const store = await open();
      await store.write('c_1', sampleBlindRecord());
      await store.putValues('c_1', '1-a_keys', 'singles-0', ['a']);
      await store.remove('c_1');
      await store.remove('c_never');
      expect(await store.read('c_1')).toEqual({ keyChecks: {}, uploads: [], lastUpload: {} });
      await expect(store.getValues('c_1', '1-a_keys', 'singles-0')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
