import { sha256Hex } from '../../../digest/json-digest.js';
import type { BatchRef } from './blind-batch.js';

/**
 * The digest that names one batch's content: SHA-256 over a versioned prefix, the batch's
 * reference and its elements in order. An answer carries it back, so an answer to another
 * batch, another upload or another collaboration (a replay) is refused.
 *
 * @example
 * ```ts
 * batchDigest({ collaboration: 'c_1', dataset: 'a_keys', version: 1, index: 0 }, ['e2f2…']); // 64 hex
 * ```
 */
export function batchDigest(ref: BatchRef, elements: readonly string[]): string {
  const head = `cleanroom-blind-batch-v1\n${ref.collaboration}\n${ref.dataset}\n${ref.version}\n${ref.index}\n${elements.length}\n`;
  return sha256Hex(head + elements.join('\n'));
}
