import { CleanRoomError } from '../../../errors.js';
import { readElement } from '../check-element.js';
import type { BlindedBatch, PendingBatch } from './blind-batch.js';

/**
 * Check a party's answer to one batch and return the doubly blinded elements, canaries
 * removed, in the order of the singles the batch was built from. Refused, with nothing
 * kept, when the answer names another batch or content (`conflict`: a replay or a batch
 * answered out of order), holds another number of elements or one that is not a valid
 * element (`invalid_input`: a truncated or damaged transfer), or fails a canary (`refused`:
 * blinded with another key than the party's key check, or its elements reordered).
 *
 * @example
 * ```ts
 * const doubles = acceptBlinded(pending, await request.json()); // Uint8Array[] of the batch's singles, blinded again
 * ```
 */
export function acceptBlinded(pending: PendingBatch, answer: BlindedBatch): Uint8Array[] {
  const { ref } = pending;
  const name = `batch ${ref.index} of ${ref.dataset} version ${ref.version}`;
  const same = answer.ref !== undefined && answer.ref.collaboration === ref.collaboration && answer.ref.dataset === ref.dataset && answer.ref.version === ref.version && answer.ref.index === ref.index;
  if (!same || answer.digest !== pending.digest) {
    throw new CleanRoomError('conflict', `Cannot accept the answer as ${name}: it answers another batch or other content (digest ${String(answer.digest).slice(0, 16)}…, expected ${pending.digest.slice(0, 16)}…); fetch the batch again`, {
      details: { field: 'digest', batch: ref.index },
    });
  }
  if (!Array.isArray(answer.elements) || answer.elements.length !== pending.count) {
    const got = Array.isArray(answer.elements) ? answer.elements.length : 0;
    throw new CleanRoomError('invalid_input', `Cannot accept the answer as ${name}: it holds ${got} elements, the batch had ${pending.count} (a truncated transfer?); send the whole batch again`, {
      details: { field: 'elements', batch: ref.index, expected: pending.count, got },
    });
  }
  const elements = answer.elements.map((text, i) => readElement(typeof text === 'string' ? text : '', `${name}, item ${i}`));
  for (const canary of pending.canaries) {
    if (answer.elements[canary.position] !== canary.expected) {
      throw new CleanRoomError('refused', `Cannot accept the answer as ${name}: it was not blinded with the key this party registered, or its elements were reordered; blind with the same key file as your upload`, {
        details: { field: 'elements', batch: ref.index },
      });
    }
  }
  const canaryAt = new Set(pending.canaries.map((c) => c.position));
  return elements.filter((_, i) => !canaryAt.has(i));
}
