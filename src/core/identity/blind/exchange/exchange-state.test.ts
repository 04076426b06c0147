import { beforeAll, describe, expect, it } from 'vitest';
import { blind } from '../blind.js';
import { newBlindKey } from '../blind-key.js';
import type { BlindKey } from '../blind-key.js';
import { toHex } from '../encoding.js';
import { hashToGroup } from '../hash-to-group.js';
import { blindReady } from '../sodium.js';
import { blindAnswer } from './blind-answer.js';
import { answerBatch, batchCount, batchFor, doublesBySingle, startExchange, waitingBatches } from './exchange-state.js';
import type { ExchangeState } from './exchange-state.js';
import { keyCheck, registerKeyCheck } from './key-check.js';

let a: BlindKey;
let b: BlindKey;
beforeAll(async () => {
  await blindReady();
  [a, b] = [newBlindKey(), newBlindKey()];
});

const singlesOf = (n: number) => Array.from({ length: n }, (_, i) => toHex(blind(hashToGroup(`p${i}@example.com`), a)));
const start = (singles: string[], batchSize = 4) => startExchange(singles, { ref: { collaboration: 'c_1', dataset: 'a_keys', version: 1 }, owner: 'p_a', blinder: 'p_b', batchSize });
/** What the store would hold after a JSON round trip. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const checkB = () => toHex(keyCheck(b));

describe('the room\'s record of one second blinding', () => {
  it('keeps distinct singles, shuffled, cut into batches; the record holds no value', () => {
    const singles = singlesOf(10);
    const { state, slices } = start([...singles, singles[0]!]);
    expect(state.count).toBe(10);
    expect(slices.map((s) => s.length)).toEqual([4, 4, 2]);
    expect(new Set(slices.flat())).toEqual(new Set(singles));
    expect(batchCount(state)).toBe(3);
    expect(waitingBatches(state)).toEqual([0, 1, 2]);
    for (const single of singles) expect(JSON.stringify(state)).not.toContain(single);
  });

  it('resumes after an interruption: the same batch content on every fetch, only what waits is fetched', () => {
    const started = start(singlesOf(10));
    const slices = stored(started.slices);
    let state: ExchangeState = started.state;
    const first = batchFor(state, 0, slices[0]!, checkB());
    state = stored(first.state);
    expect(batchFor(state, 0, slices[0]!, checkB()).batch).toEqual(first.batch);
    const doubles: string[][] = [];
    const answered = answerBatch(state, 0, blindAnswer(first.batch, b));
    state = stored(answered.state);
    doubles[0] = answered.doubles!;
    // …the sync stops here; a new one asks what waits and goes on.
    expect(waitingBatches(state)).toEqual([1, 2]);
    for (const index of waitingBatches(state)) {
      const { state: next, batch } = batchFor(state, index, slices[index]!, checkB());
      const result = answerBatch(next, index, blindAnswer(batch, b));
      state = stored(result.state);
      doubles[index] = result.doubles!;
    }
    const map = doublesBySingle(state, slices, doubles);
    for (const single of slices.flat()) expect(map.get(single)).toBe(toHex(blind(Uint8Array.from(Buffer.from(single, 'hex')), b)));
  });

  it('takes a retried identical answer again, refuses a different one and an answer to a batch never sent', () => {
    const { state: fresh, slices } = start(singlesOf(6));
    const { state: next, batch } = batchFor(fresh, 1, slices[1]!, checkB());
    const answer = blindAnswer(batch, b);
    const { state } = answerBatch(next, 1, answer);
    expect(answerBatch(state, 1, answer)).toEqual({ state });
    const other = { ...answer, elements: [...answer.elements].reverse() };
    expect(() => answerBatch(state, 1, other)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('second, different answer') }));
    expect(() => answerBatch(state, 0, answer)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('never sent') }));
  });

  it('keeps nothing from a refused answer (another key): the batch still waits', () => {
    const { state: fresh, slices } = start(singlesOf(6));
    const { state, batch } = batchFor(fresh, 0, slices[0]!, checkB());
    expect(() => answerBatch(state, 0, blindAnswer(batch, newBlindKey()))).toThrow(expect.objectContaining({ code: 'refused' }));
    expect(waitingBatches(state)).toEqual([0, 1]);
  });

  it('does not match before every batch is answered, names a batch that does not exist, and notices changed singles', () => {
    const { state, slices } = start(singlesOf(6));
    expect(() => doublesBySingle(state, slices, [])).toThrow('Cannot match a_keys upload 1 yet: 2 of 2 batches await the other party\'s blinding');
    expect(() => batchFor(state, 2, [], checkB())).toThrow(expect.objectContaining({ code: 'not_found', message: expect.stringContaining('batches 0 to 1') }));
    const built = batchFor(state, 0, slices[0]!, checkB()).state;
    expect(() => batchFor(built, 0, [...slices[0]!].reverse(), checkB())).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});

describe('registerKeyCheck', () => {
  it('takes the first key check and the same again, refuses another key', () => {
    const mine = toHex(keyCheck(b));
    expect(registerKeyCheck(undefined, mine, 'p_b')).toBe(mine);
    expect(registerKeyCheck(mine, mine, 'p_b')).toBe(mine);
    expect(() => registerKeyCheck(mine, toHex(keyCheck(newBlindKey())), 'p_b')).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('another key') }));
  });
});
