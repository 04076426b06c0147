/**
 * Double-blind identifiers (ECDH-PSI over ristretto255): each party maps a normalised
 * identifier to the group, blinds it with its own secret key, and the other party blinds it
 * a second time; doubly blinded values of one person are equal whatever the order.
 * Threat model and protocol: docs/double-blind.md.
 *
 * @example
 * ```ts
 * import { blind, blindReady, hashToGroup, newBlindKey } from './core/identity/blind/index.js';
 * await blindReady();
 * const [a, b] = [newBlindKey(), newBlindKey()];
 * blind(blind(hashToGroup('jane@example.com'), a), b); // = blind(blind(…, b), a)
 * ```
 */
export { blindReady } from './sodium.js';
export { BLIND_DST, elementFromUniformBytes, hashToGroup } from './hash-to-group.js';
export type { HashToGroupOptions } from './hash-to-group.js';
export { blind } from './blind.js';
export { createBlindHasher } from './blind-hasher.js';
export type { BlindHasherOptions } from './blind-hasher.js';
export { BLIND_KEY_PREFIX, formatBlindKey, newBlindKey, readBlindKey } from './blind-key.js';
export type { BlindKey } from './blind-key.js';
export { elementProblem, readElement } from './check-element.js';
export type { ElementProblem } from './check-element.js';
export { ELEMENT_BYTES, fromHex, toHex } from './encoding.js';
