import { describe, expect, it } from 'vitest';
import type { BlindExchangeStore, BlindRecord } from '../blind-exchange-store.js';

/** A record with one waiting upload, small but of the real shape. */
export function sampleBlindRecord(): BlindRecord {
  return {
    keyChecks: { p_a: 'aa'.repeat(32) },
    uploads: [
      {
        dataset: 'a_keys',
        version: 1,
        owner: 'p_a',
        columns: ['email'],
        stagedText: `email\n${'e2'.repeat(32)}\n`,
        exchange: { ref: { collaboration: 'c_1', dataset: 'a_keys', version: 1 }, owner: 'p_a', blinder: 'p_b', batchSize: 4096, singles: ['e2'.repeat(32)], keyCheck: 'bb'.repeat(32), batches: {} },
      },
    ],
  };
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
      expect(await (await open()).read('c_new')).toEqual({ keyChecks: {}, uploads: [] });
    });

    it('reads back what was written, per collaboration, and the last write wins', async () => {
      const store = await open();
      await store.write('c_1', sampleBlindRecord());
      await store.write('c_2', { keyChecks: { p_b: 'cc'.repeat(32) }, uploads: [] });
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

    it('forgets a removed collaboration, and removing an unknown one is no error', async () => {
      const store = await open();
      await store.write('c_1', sampleBlindRecord());
      await store.remove('c_1');
      await store.remove('c_never');
      expect(await store.read('c_1')).toEqual({ keyChecks: {}, uploads: [] });
    });
  });
}
