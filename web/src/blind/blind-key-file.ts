import { formatBlindKey, newBlindKey, readBlindKey } from '../../../src/core/identity/blind/blind-key.js';
import { toHex } from '../../../src/core/identity/blind/encoding.js';
import { keyCheck } from '../../../src/core/identity/blind/exchange/key-check.js';
import { blindReady } from '../../../src/core/identity/blind/sodium.js';

/** A party's blind key as the page holds it: the file's bytes (for the workers) and its key check (for the room). */
export interface BlindKeyFile {
  bytes: Uint8Array;
  keyCheck: string;
}

/**
 * Reads a blind key file (`cleanroom keygen --blind`, or one made here) chosen by the user;
 * only its key check — the key times a public point, which tells nothing about the key or any
 * identifier — is ever sent to the room.
 *
 * @example
 * ```ts
 * const key = await readKeyFile(input.files[0]); // { bytes, keyCheck: '5e1f…' }
 * ```
 */
export async function readKeyFile(file: Blob): Promise<BlindKeyFile> {
  await blindReady();
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { bytes, keyCheck: toHex(keyCheck(readBlindKey(bytes))) };
}

/**
 * A new blind key file's text, made in this browser, for the user to save: the same format as
 * `cleanroom keygen --blind`.
 *
 * @example
 * ```ts
 * downloadText('blind.key', await newKeyFileText());
 * ```
 */
export async function newKeyFileText(): Promise<string> {
  await blindReady();
  return `${formatBlindKey(newBlindKey())}\n`;
}
