import { readFile } from 'node:fs/promises';
import type { StoreCipher } from '../keys/store-cipher.js';
import { writeFileAtomic } from '../../crypto/sealed-file.js';
import { writeJsonAtomic } from './atomic-json.js';

/**
 * Writes one JSON record atomically: sealed under the scope's key with `label` when the
 * store has a cipher, else plainly.
 *
 * @example
 * ```ts
 * await writeRecord(cipher, '/data/store/runs/c_1/r_1.json', 'c_1', 'run/r_1', run);
 * ```
 */
export async function writeRecord(cipher: StoreCipher | undefined, path: string, scope: string, label: string, value: unknown): Promise<void> {
  if (cipher === undefined) return writeJsonAtomic(path, value);
  return writeFileAtomic(path, await cipher.seal(scope, label, Buffer.from(JSON.stringify(value), 'utf8')));
}

/**
 * Reads the text of a record written by {@link writeRecord} (fs errors as they are, so a
 * caller can tell ENOENT; a sealed record that does not open is an io_error naming it).
 *
 * @example
 * ```ts
 * JSON.parse(await readRecord(cipher, path, 'c_1', 'run/r_1'));
 * ```
 */
export async function readRecord(cipher: StoreCipher | undefined, path: string, scope: string, label: string): Promise<string> {
  const bytes = await readFile(path);
  return cipher === undefined ? bytes.toString('utf8') : (await cipher.open(scope, label, bytes, path)).toString('utf8');
}
