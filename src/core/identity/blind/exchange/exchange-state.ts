import { randomInt } from 'node:crypto';
import { sha256Hex } from '../../../digest/json-digest.js';
import { CleanRoomError } from '../../../errors.js';
import { fromHex, toHex } from '../encoding.js';
import { acceptBlinded } from './accept-blinded.js';
import type { BatchRef, BlindBatch, BlindedBatch, PendingBatch } from './blind-batch.js';
import { buildBatch } from './build-batch.js';

/** Default elements per batch: about 4 s of blinding on one core, 330 KiB of JSON. */
export const DEFAULT_BATCH_SIZE = 4096;

/**
 * The room's record of one upload's second blinding, as plain JSON for a store: the
 * owner's distinct singly blinded values (shuffled, so that a position says nothing about
 * the owner's row order), the blinding party's key check, and per batch what was sent and
 * what came back.
 */
export interface ExchangeState {
  ref: Omit<BatchRef, 'index'>;
  owner: string;
  blinder: string;
  batchSize: number;
  singles: string[];
  /** The blinder's key check (hex), registered with its own upload. */
  keyCheck: string;
  batches: Record<number, { sent: BlindBatch; pending: PendingBatch; doubles?: string[]; answerDigest?: string }>;
}

/** Options of {@link startExchange}. */
export interface StartExchangeOptions {
  ref: Omit<BatchRef, 'index'>;
  owner: string;
  blinder: string;
  keyCheck: string;
  batchSize?: number;
  /** An index in [0, n); the default is the system's secure random source. */
  random?: (n: number) => number;
}

/**
 * Start the second blinding of one upload: distinct singles, shuffled, cut into batches
 * served on demand.
 *
 * @example
 * ```ts
 * const state = startExchange(singles, { ref: { collaboration, dataset, version }, owner: 'p_a', blinder: 'p_b', keyCheck });
 * waitingBatches(state); // [0, 1, …]
 * ```
 */
export function startExchange(singles: readonly string[], options: StartExchangeOptions): ExchangeState {
  const { ref, owner, blinder, keyCheck, batchSize = DEFAULT_BATCH_SIZE, random = (n) => randomInt(n) } = options;
  const distinct = [...new Set(singles)];
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
  }
  return { ref, owner, blinder, batchSize, singles: distinct, keyCheck, batches: {} };
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
  return Math.ceil(state.singles.length / state.batchSize);
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
  return Array.from({ length: batchCount(state) }, (_, i) => i).filter((i) => state.batches[i]?.doubles === undefined);
}

/**
 * The batch to send the blinder, built (canaries drawn) on first request and the same
 * on every later one, so an interrupted sync resumes on identical content. Returns the
 * state to store (unchanged when the batch was built before).
 *
 * @example
 * ```ts
 * const { state: next, batch } = batchFor(state, 0);
 * ```
 */
export function batchFor(state: ExchangeState, index: number): { state: ExchangeState; batch: BlindBatch } {
  const total = batchCount(state);
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new CleanRoomError('not_found', `Cannot find batch ${index} of ${state.ref.dataset} version ${state.ref.version}: it has batches 0 to ${total - 1}`, { details: { field: 'batch' } });
  }
  const built = state.batches[index];
  if (built !== undefined) return { state, batch: built.sent };
  const slice = state.singles.slice(index * state.batchSize, (index + 1) * state.batchSize).map((hex) => fromHex(hex)!);
  const { batch, pending } = buildBatch({ ...state.ref, index }, slice, { keyCheck: fromHex(state.keyCheck)!, total });
  return { state: { ...state, batches: { ...state.batches, [index]: { sent: batch, pending } } }, batch };
}

/**
 * Take the blinder's answer to one batch (checked by `acceptBlinded`). The same answer
 * sent twice (a retry after a lost response) is accepted again and changes nothing; a
 * different answer to a batch already accepted is refused as `conflict`.
 *
 * @example
 * ```ts
 * state = answerBatch(state, 0, answer);
 * ```
 */
export function answerBatch(state: ExchangeState, index: number, answer: BlindedBatch): ExchangeState {
  const built = state.batches[index];
  if (built === undefined) {
    throw new CleanRoomError('conflict', `Cannot accept an answer to batch ${index} of ${state.ref.dataset} version ${state.ref.version}: it was never sent; fetch it first`, { details: { field: 'batch' } });
  }
  const answerDigest = answerFingerprint(answer);
  if (built.doubles !== undefined) {
    if (built.answerDigest === answerDigest) return state;
    throw new CleanRoomError('conflict', `Cannot accept a second, different answer to batch ${index} of ${state.ref.dataset} version ${state.ref.version}: it was accepted before`, { details: { field: 'batch' } });
  }
  const doubles = acceptBlinded(built.pending, answer).map(toHex);
  return { ...state, batches: { ...state.batches, [index]: { ...built, doubles, answerDigest } } };
}

/**
 * Once every batch is answered, the doubly blinded value of each single: what replaces the
 * singles in the owner's upload before it is re-keyed and loaded. Throws `conflict` before.
 *
 * @example
 * ```ts
 * doublesBySingle(state).get(single); // its doubly blinded value
 * ```
 */
export function doublesBySingle(state: ExchangeState): Map<string, string> {
  const waiting = waitingBatches(state);
  if (waiting.length > 0) {
    throw new CleanRoomError('conflict', `Cannot match ${state.ref.dataset} version ${state.ref.version} yet: ${waiting.length} of ${batchCount(state)} batches await the other party's blinding`, { details: { waiting: waiting.length } });
  }
  const map = new Map<string, string>();
  for (let index = 0; index < batchCount(state); index++) {
    const doubles = state.batches[index]!.doubles!;
    state.singles.slice(index * state.batchSize, (index + 1) * state.batchSize).forEach((single, i) => map.set(single, doubles[i]!));
  }
  return map;
}

function answerFingerprint(answer: BlindedBatch): string {
  return sha256Hex(`${answer.digest}:${Array.isArray(answer.elements) ? answer.elements.join(',') : ''}`);
}
