import { randomInt } from 'node:crypto';
import { sha256Hex } from '../../../digest/json-digest.js';
import { CleanRoomError } from '../../../errors.js';
import { fromHex, toHex } from '../encoding.js';
import { acceptBlinded } from './accept-blinded.js';
import { batchDigest } from './batch-digest.js';
import type { BatchRef, BlindBatch, BlindedBatch, PendingBatch } from './blind-batch.js';
import { buildBatch } from './build-batch.js';

/** Default elements per batch: about 4 s of blinding on one core, 330 KiB of JSON. */
export const DEFAULT_BATCH_SIZE = 4096;

/**
 * The room's record of one upload's second blinding, small and plain JSON for a store: the
 * batches' layout and, per batch built, what checks its answer. The values themselves — the
 * owner's distinct singly blinded values, shuffled so that a position says nothing about the
 * owner's row order, cut into `slices`, and the doubles answered — are kept beside it, one
 * list per batch, so that a batch costs its own size to store and never the upload's.
 */
export interface ExchangeState {
  ref: Omit<BatchRef, 'index'>;
  owner: string;
  blinder: string;
  batchSize: number;
  /** How many distinct singles the upload has. */
  count: number;
  batches: Record<number, { pending: PendingBatch; answerDigest?: string }>;
}

/** Options of {@link startExchange}. */
export interface StartExchangeOptions {
  ref: Omit<BatchRef, 'index'>;
  owner: string;
  blinder: string;
  batchSize?: number;
  /** An index in [0, n); the default is the system's secure random source. */
  random?: (n: number) => number;
}

/**
 * Start the second blinding of one upload: distinct singles, shuffled, cut into the slices
 * the batches are built from (slice i is batch i's singles).
 *
 * @example
 * ```ts
 * const { state, slices } = startExchange(singles, { ref: { collaboration, dataset, version }, owner: 'p_a', blinder: 'p_b' });
 * waitingBatches(state); // [0, 1, …]
 * ```
 */
export function startExchange(singles: readonly string[], options: StartExchangeOptions): { state: ExchangeState; slices: string[][] } {
  const { batchSize = DEFAULT_BATCH_SIZE, random } = options;
  const distinct = shuffled([...new Set(singles)], random);
  const slices: string[][] = [];
  for (let at = 0; at < distinct.length; at += batchSize) slices.push(distinct.slice(at, at + batchSize));
  return { state: newExchange(distinct.length, options), slices };
}

/**
 * The record of a second blinding of `count` distinct singles whose slices are kept
 * elsewhere (a store that shuffles and cuts them itself).
 *
 * @example
 * ```ts
 * newExchange(10_000, { ref, owner: 'p_a', blinder: 'p_b' }); // 3 batches of 4,096
 * ```
 */
export function newExchange(count: number, options: StartExchangeOptions): ExchangeState {
  const { ref, owner, blinder, batchSize = DEFAULT_BATCH_SIZE } = options;
  return { ref, owner, blinder, batchSize, count, batches: {} };
}

/**
 * The values in a uniformly random order (Fisher–Yates), in place.
 *
 * @example
 * ```ts
 * shuffled(['a', 'b', 'c']); // e.g. ['c', 'a', 'b']
 * ```
 */
export function shuffled<T>(values: T[], random: (n: number) => number = (n) => randomInt(n)): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/**
 * How many batches the upload has.
 *
 * @example
 * ```ts
 * batchCount(state); // 3 for 10,000 singles in batches of 4,096
 * ```
 */
export function batchCount(state: ExchangeState): number {
  return Math.ceil(state.count / state.batchSize);
}

/**
 * The indices still awaiting the blinder's answer, in order: what `blind sync` fetches.
 *
 * @example
 * ```ts
 * waitingBatches(state); // [2] after batches 0 and 1 were accepted
 * ```
 */
export function waitingBatches(state: ExchangeState): number[] {
  return Array.from({ length: batchCount(state) }, (_, i) => i).filter((i) => state.batches[i]?.answerDigest === undefined);
}

/**
 * The batch to send the blinder, from its slice of singles and the blinder's key check:
 * built (canaries drawn) on first request and the same on every later one, so an
 * interrupted sync resumes on identical content. Returns the state to store (unchanged when
 * the batch was built before).
 *
 * @example
 * ```ts
 * const { state: next, batch } = batchFor(state, 0, slices[0], blinderKeyCheck);
 * ```
 */
export function batchFor(state: ExchangeState, index: number, slice: readonly string[], keyCheck: string): { state: ExchangeState; batch: BlindBatch } {
  const total = batchCount(state);
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new CleanRoomError('not_found', `Cannot find batch ${index} of ${state.ref.dataset} upload ${state.ref.version}: it has batches 0 to ${total - 1}`, { details: { field: 'batch' } });
  }
  const ref = { ...state.ref, index };
  const built = state.batches[index];
  if (built !== undefined) {
    // The canaries' final positions, ascending: each lands where it sat in the batch sent.
    const elements = [...slice];
    for (const canary of [...built.pending.canaries].sort((x, y) => x.position - y.position)) elements.splice(canary.position, 0, canary.element);
    const batch = { ref, total, elements, digest: batchDigest(ref, elements) };
    if (batch.digest !== built.pending.digest) throw new CleanRoomError('internal', `Cannot rebuild batch ${index} of ${state.ref.dataset} upload ${state.ref.version}: its stored singles changed`);
    return { state, batch };
  }
  const { batch, pending } = buildBatch(ref, slice.map((hex) => fromHex(hex)!), { keyCheck: fromHex(keyCheck)!, total });
  return { state: { ...state, batches: { ...state.batches, [index]: { pending } } }, batch };
}

/**
 * Take the blinder's answer to one batch (checked by `acceptBlinded`): the state to store and
 * the batch's doubles, in its slice's order, to keep beside it. The same answer sent twice (a
 * retry after a lost response) is accepted again and changes nothing (`doubles` undefined); a
 * different answer to a batch already accepted is refused as `conflict`.
 *
 * @example
 * ```ts
 * const { state: next, doubles } = answerBatch(state, 0, answer);
 * ```
 */
export function answerBatch(state: ExchangeState, index: number, answer: BlindedBatch): { state: ExchangeState; doubles?: string[] } {
  const built = state.batches[index];
  if (built === undefined) {
    throw new CleanRoomError('conflict', `Cannot accept an answer to batch ${index} of ${state.ref.dataset} upload ${state.ref.version}: it was never sent; fetch it first`, { details: { field: 'batch' } });
  }
  const answerDigest = answerFingerprint(answer);
  if (built.answerDigest !== undefined) {
    if (built.answerDigest === answerDigest) return { state };
    throw new CleanRoomError('conflict', `Cannot accept a second, different answer to batch ${index} of ${state.ref.dataset} upload ${state.ref.version}: it was accepted before`, { details: { field: 'batch' } });
  }
  const doubles = acceptBlinded(built.pending, answer).map(toHex);
  return { state: { ...state, batches: { ...state.batches, [index]: { ...built, answerDigest } } }, doubles };
}

/**
 * Once every batch is answered, the doubly blinded value of each single, from the slices
 * and the doubles kept per batch: what replaces the singles in the owner's upload before it
 * is re-keyed and loaded. Throws `conflict` before every batch is answered.
 *
 * @example
 * ```ts
 * doublesBySingle(state, slices, doubles).get(single); // its doubly blinded value
 * ```
 */
export function doublesBySingle(state: ExchangeState, slices: readonly (readonly string[])[], doubles: readonly (readonly string[])[]): Map<string, string> {
  const waiting = waitingBatches(state);
  if (waiting.length > 0) {
    throw new CleanRoomError('conflict', `Cannot match ${state.ref.dataset} upload ${state.ref.version} yet: ${waiting.length} of ${batchCount(state)} batches await the other party's blinding`, { details: { waiting: waiting.length } });
  }
  const map = new Map<string, string>();
  slices.forEach((slice, index) => {
    const answered = doubles[index];
    if (answered === undefined || answered.length !== slice.length) throw new CleanRoomError('internal', `Cannot pair batch ${index} of ${state.ref.dataset} upload ${state.ref.version}: its doubles are missing or of another size`);
    slice.forEach((single, i) => map.set(single, answered[i]!));
  });
  return map;
}

function answerFingerprint(answer: BlindedBatch): string {
  return sha256Hex(`${answer.digest}:${Array.isArray(answer.elements) ? answer.elements.join(',') : ''}`);
}
