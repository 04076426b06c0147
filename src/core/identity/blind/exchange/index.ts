/**
 * The second blinding, batch by batch: the room builds a batch of one party's singly
 * blinded elements for the other party (with hidden canaries), that party blinds it
 * ({@link blindAnswer}), and the room checks the answer ({@link acceptBlinded}).
 * Protocol and threat model: docs/double-blind.md.
 *
 * @example
 * ```ts
 * const { batch, pending } = buildBatch(ref, singlesOfA, { keyCheck: keyCheck(b), total: 1 });
 * const doubles = acceptBlinded(pending, blindAnswer(batch, b));
 * ```
 */
export { acceptBlinded } from './accept-blinded.js';
export { batchDigest } from './batch-digest.js';
export { readSingles, replaceSingles, singleProblem } from './blinded-csv.js';
export type { BlindedCellProblem, SinglesRead } from './blinded-csv.js';
export type { BatchRef, BlindBatch, BlindedBatch, PendingBatch } from './blind-batch.js';
export { blindAnswer } from './blind-answer.js';
export { buildBatch } from './build-batch.js';
export type { BuildBatchOptions } from './build-batch.js';
export { KEY_CHECK_INPUT, keyCheck, keyCheckPoint, registerKeyCheck } from './key-check.js';
export { DEFAULT_BATCH_SIZE, answerBatch, batchCount, batchFor, doublesBySingle, newExchange, shuffled, startExchange, waitingBatches } from './exchange-state.js';
export type { ExchangeState, StartExchangeOptions } from './exchange-state.js';
