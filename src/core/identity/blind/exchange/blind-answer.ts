import { blind } from '../blind.js';
import type { BlindKey } from '../blind-key.js';
import { readElement } from '../check-element.js';
import { toHex } from '../encoding.js';
import type { BlindBatch, BlindedBatch } from './blind-batch.js';

/**
 * The party's side of one batch: check every element received (a room that sent an
 * invalid one is refused, naming the item), blind each with the party's key, and echo the
 * batch's reference and digest. Needs `blindReady()`.
 *
 * @example
 * ```ts
 * const answer = blindAnswer(await get(`…/blind/batches/0`), myKey);
 * await put(`…/blind/batches/0`, answer);
 * ```
 */
export function blindAnswer(batch: BlindBatch, key: BlindKey): BlindedBatch {
  const where = (i: number) => `batch ${batch.ref.index} of ${batch.ref.dataset} version ${batch.ref.version}, item ${i}`;
  const elements = batch.elements.map((text, i) => toHex(blind(readElement(text, where(i)), key, where(i))));
  return { ref: batch.ref, digest: batch.digest, elements };
}
