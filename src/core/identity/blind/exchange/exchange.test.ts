import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { blind } from '../blind.js';
import { createBlindHasher } from '../blind-hasher.js';
import { newBlindKey } from '../blind-key.js';
import type { BlindKey } from '../blind-key.js';
import { fromHex, toHex } from '../encoding.js';
import { hashToGroup } from '../hash-to-group.js';
import { blindReady } from '../sodium.js';
import { acceptBlinded } from './accept-blinded.js';
import type { BatchRef, BlindBatch, PendingBatch } from './blind-batch.js';
import { blindAnswer } from './blind-answer.js';
import { buildBatch } from './build-batch.js';
import { keyCheck } from './key-check.js';

const sha256 = (text: string): Uint8Array => createHash('sha256').update(text).digest();

beforeAll(blindReady);

const digest = (value: string) => createHash('sha256').update(value).digest();
const ref = (index = 0, dataset = 'a_keys'): BatchRef => ({ collaboration: 'c_1', dataset, version: 1, index });

/** Singly blinded elements of `values` under `key`, as a party's prepare writes them. */
const singles = (values: readonly string[], key: BlindKey) => values.map((v) => fromHex(createBlindHasher(key, { sha256 }).hash(v))!);

function exchange(values: readonly string[], owner: BlindKey, other: BlindKey): { batch: BlindBatch; pending: PendingBatch; doubles: string[] } {
  const { batch, pending } = buildBatch(ref(), singles(values, owner), { keyCheck: keyCheck(other), total: 1 });
  return { batch, pending, doubles: acceptBlinded(pending, blindAnswer(batch, other)).map(toHex) };
}

describe('the second blinding, batch by batch', () => {
  it('returns each single blinded by the other key, in order, canaries removed', () => {
    const [a, b] = [newBlindKey(), newBlindKey()];
    const values = ['jane@example.com', 'bob@example.org', 'ann@example.com'];
    const { batch, doubles } = exchange(values, a, b);
    expect(batch.elements).toHaveLength(5);
    expect(doubles).toEqual(values.map((v) => toHex(blind(blind(hashToGroup(digest(v)), a), b))));
  });

  it('finds its canaries wherever they land (200 batches, sizes 0 to 9)', () => {
    const [a, b] = [newBlindKey(), newBlindKey()];
    for (let i = 0; i < 200; i++) {
      const values = Array.from({ length: i % 10 }, (_, j) => `p${i}-${j}@example.com`);
      expect(exchange(values, a, b).doubles).toHaveLength(values.length);
    }
  });

  it('matches exactly the people both sides hold, whichever side blinds first', () => {
    const [a, b] = [newBlindKey(), newBlindKey()];
    const left = ['jane@example.com', 'bob@example.org', 'ann@example.com', 'zoe@example.net'];
    const right = ['ann@example.com', 'kim@example.com', 'jane@example.com'];
    const fromLeft = exchange(left, a, b).doubles;
    const fromRight = new Set(exchange(right, b, a).doubles);
    expect(left.filter((_, i) => fromRight.has(fromLeft[i]!))).toEqual(['jane@example.com', 'ann@example.com']);
  });

  it('never shows a party the other side\'s digests or unblinded elements', () => {
    const [a, b] = [newBlindKey(), newBlindKey()];
    const values = ['jane@example.com', 'bob@example.org'];
    const { batch } = exchange(values, a, b);
    for (const v of values) {
      expect(batch.elements).not.toContain(digest(v).toString('hex'));
      expect(batch.elements).not.toContain(toHex(hashToGroup(digest(v))));
      // What B could compute from a guess with its own key is not what it receives either.
      expect(batch.elements).not.toContain(toHex(blind(hashToGroup(digest(v)), b)));
    }
  });
});

describe('attacks on the second blinding', () => {
  let a: BlindKey;
  let b: BlindKey;
  beforeAll(() => {
    [a, b] = [newBlindKey(), newBlindKey()];
  });
  const values = Array.from({ length: 20 }, (_, i) => `p${i}@example.com`);

  it('detects a second blinding with another key than the registered one', () => {
    const { batch, pending } = buildBatch(ref(), singles(values, a), { keyCheck: keyCheck(b), total: 1 });
    expect(() => acceptBlinded(pending, blindAnswer(batch, newBlindKey()))).toThrow(expect.objectContaining({ code: 'refused', message: expect.stringContaining('not blinded with the key this party registered') }));
  });

  it('detects a batch reversed in order', () => {
    const { batch, pending } = buildBatch(ref(), singles(values, a), { keyCheck: keyCheck(b), total: 1, position: (n) => Math.min(1, n - 1) });
    const answer = blindAnswer(batch, b);
    expect(() => acceptBlinded(pending, { ...answer, elements: [...answer.elements].reverse() })).toThrow(expect.objectContaining({ code: 'refused' }));
  });

  it('refuses a replayed answer: batch 0 sent as batch 1, or as another upload or collaboration', () => {
    const first = buildBatch(ref(0), singles(values.slice(0, 10), a), { keyCheck: keyCheck(b), total: 2 });
    const second = buildBatch(ref(1), singles(values.slice(10), a), { keyCheck: keyCheck(b), total: 2 });
    const answer = blindAnswer(first.batch, b);
    expect(() => acceptBlinded(second.pending, answer)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => acceptBlinded(second.pending, { ...answer, ref: second.batch.ref })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => acceptBlinded(first.pending, { ...answer, ref: { ...answer.ref, collaboration: 'c_2' } })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(acceptBlinded(first.pending, answer)).toHaveLength(10);
  });

  it('refuses a truncated answer and an invalid element, naming the item', () => {
    const { batch, pending } = buildBatch(ref(), singles(values, a), { keyCheck: keyCheck(b), total: 1 });
    const answer = blindAnswer(batch, b);
    expect(() => acceptBlinded(pending, { ...answer, elements: answer.elements.slice(0, -1) })).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('holds 21 elements, the batch had 22') }));
    const bad = [...answer.elements];
    bad[3] = '00'.repeat(32);
    expect(() => acceptBlinded(pending, { ...answer, elements: bad })).toThrow('Cannot use batch 0 of a_keys version 1, item 3 as a blinded identifier: it is the identity element');
  });

  it('lets the party refuse an invalid element the room sends', () => {
    const { batch } = buildBatch(ref(), singles(values, a), { keyCheck: keyCheck(b), total: 1 });
    const forged = { ...batch, elements: [...batch.elements.slice(0, 2), '0100000000000000000000000000000000000000000000000000000000000000'] };
    expect(() => blindAnswer(forged, b)).toThrow('Cannot use batch 0 of a_keys version 1, item 2 as a blinded identifier: it is not the canonical encoding of a ristretto255 element');
  });
});
