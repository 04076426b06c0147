import { CleanRoomError } from '../../errors.js';
import { ELEMENT_BYTES, fromHex } from './encoding.js';
import { loadedSodium } from './sodium.js';

/** Why an encoded element was refused. */
export type ElementProblem = 'not_hex' | 'wrong_length' | 'identity' | 'not_canonical';

/**
 * The problem with a received element, or undefined when it is the canonical RFC 9496
 * encoding of a ristretto255 element other than the identity. Libsodium's decoder refuses
 * non-canonical field encodings, negative field elements and points off the group; the
 * identity (32 zero bytes) is refused here, since blinding it gives the identity again and
 * would match every other identity.
 *
 * @example
 * ```ts
 * elementProblem(hashToGroup('jane@example.com')); // undefined
 * elementProblem(new Uint8Array(32)); // 'identity'
 * ```
 */
export function elementProblem(element: Uint8Array): ElementProblem | undefined {
  if (element.length !== ELEMENT_BYTES) return 'wrong_length';
  if (element.every((byte) => byte === 0)) return 'identity';
  if (!loadedSodium().crypto_core_ristretto255_is_valid_point(element)) return 'not_canonical';
  return undefined;
}

const WHY: Record<ElementProblem, string> = {
  not_hex: 'it is not 64 lower-case hex characters',
  wrong_length: `it is not ${ELEMENT_BYTES} bytes`,
  identity: 'it is the identity element',
  not_canonical: 'it is not the canonical encoding of a ristretto255 element',
};

/**
 * Decode and check one element received as hex text (a CSV cell, a JSON string); throws
 * `invalid_input` naming where it came from and why it was refused.
 *
 * @example
 * ```ts
 * readElement('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'batch 3, item 0'); // the base point
 * readElement('00'.repeat(32), 'batch 3, item 1'); // throws "Cannot use batch 3, item 1 as a blinded identifier: it is the identity element"
 * ```
 */
export function readElement(text: string, where: string): Uint8Array {
  const element = fromHex(text);
  const problem = element === undefined ? 'not_hex' : elementProblem(element);
  if (problem !== undefined || element === undefined) {
    throw new CleanRoomError('invalid_input', `Cannot use ${where} as a blinded identifier: ${WHY[problem ?? 'not_hex']}`, {
      details: { where, problem: problem ?? 'not_hex' },
    });
  }
  return element;
}
