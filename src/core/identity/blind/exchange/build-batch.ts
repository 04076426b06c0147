import { randomInt } from 'node:crypto';
import { blind } from '../blind.js';
import { newBlindKey } from '../blind-key.js';
import { toHex } from '../encoding.js';
import { batchDigest } from './batch-digest.js';
import type { BatchRef, BlindBatch, PendingBatch } from './blind-batch.js';
import { keyCheckPoint } from './key-check.js';

/** Options of {@link buildBatch}. */
export interface BuildBatchOptions {
  /** The key check K of the party that will blind the batch (see `keyCheck`). */
  keyCheck: Uint8Array;
  /** How many batches the upload has. */
  total: number;
  /** Canaries hidden in the batch (default 2). */
  canaries?: number;
  /** A position in [0, n); the default is the system's secure random source. */
  position?: (n: number) => number;
}

/**
 * The room's side of one batch: the other party's singly blinded elements, with canaries
 * `r · T` (r fresh random scalars, T the key-check point) slipped in at random positions.
 * Under the decisional Diffie–Hellman assumption a canary looks like any other element,
 * so a party that blinds with another key than its key check's, skips, reorders or
 * replays elements fails the check of {@link acceptBlinded} with high probability.
 * Returns what to send and what to keep; the kept part never leaves the room.
 *
 * @example
 * ```ts
 * const { batch, pending } = buildBatch(ref, singles, { keyCheck: partyB.keyCheck, total: 4 });
 * // send batch to party B; store pending until B answers
 * ```
 */
export function buildBatch(ref: BatchRef, singles: readonly Uint8Array[], options: BuildBatchOptions): { batch: BlindBatch; pending: PendingBatch } {
  const { keyCheck, total, canaries = 2, position = (n) => randomInt(n) } = options;
  const elements = singles.map(toHex);
  const kept: { at: number; expected: string; element: string }[] = [];
  const point = keyCheckPoint();
  for (let i = 0; i < canaries; i++) {
    const r = newBlindKey();
    kept.push({ at: 0, element: toHex(blind(point, r)), expected: toHex(blind(keyCheck, r)) });
  }
  for (const canary of kept) {
    canary.at = position(elements.length + 1);
    elements.splice(canary.at, 0, canary.element);
  }
  // Later insertions shift earlier canaries that sat at or after their position.
  const positions = kept.map((c, i) => kept.slice(i + 1).reduce((at, later) => (later.at <= at ? at + 1 : at), c.at));
  const digest = batchDigest(ref, elements);
  return {
    batch: { ref, total, elements, digest },
    pending: { ref, digest, count: elements.length, canaries: kept.map((c, i) => ({ position: positions[i]!, element: c.element, expected: c.expected })) },
  };
}
