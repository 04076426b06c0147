import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindReady, formatBlindKey, hashToGroup, newBlindKey } from '../../core/identity/blind/index.js';
import type { BlindKey } from '../../core/identity/blind/index.js';
import { acceptBlinded, blindAnswer, buildBatch, keyCheck } from '../../core/identity/blind/exchange/index.js';
import { BlindWorkerPool } from './blind-pool.js';

// The workers run the built copy under dist/ (npm test builds first).
describe('BlindWorkerPool', () => {
  let key: BlindKey;
  let pool: BlindWorkerPool;
  beforeAll(async () => {
    await blindReady();
    key = newBlindKey();
    pool = new BlindWorkerPool(2, new TextEncoder().encode(formatBlindKey(key)));
  });
  afterAll(async () => pool.close());

  const batchOf = (n: number) => {
    const singles = Array.from({ length: n }, (_, i) => hashToGroup(`p${i}@example.com`));
    return buildBatch({ collaboration: 'c_1', dataset: 'a_keys', version: 1, index: 0 }, singles, { keyCheck: keyCheck(key), total: 1 });
  };

  it('answers a batch exactly as blindAnswer does on one thread, and the room accepts it', async () => {
    for (const n of [0, 1, 7, 101]) {
      const { batch, pending } = batchOf(n);
      const answer = await pool.answer(batch);
      expect(answer).toEqual(blindAnswer(batch, key));
      expect(acceptBlinded(pending, answer)).toHaveLength(n);
    }
  });

  it('names an invalid element by its place in the whole batch, whichever worker found it', async () => {
    const { batch } = batchOf(20);
    const elements = [...batch.elements];
    elements[17] = '00'.repeat(32);
    await expect(pool.answer({ ...batch, elements })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Cannot use batch 0 of a_keys version 1, item 17 as a blinded identifier: it is the identity element',
    });
  });
});
