import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { workDirFor } from '../../crypto/work-dir.js';
import { KeyRing } from './key-ring.js';
import { StoreCipher } from './store-cipher.js';

/** How one data dir keeps dataset content at rest. */
export interface AtRest {
  /** Seals the stores' files; undefined when encryption is 'off'. */
  cipher: StoreCipher | undefined;
  /** The private RAM-backed dir of this data dir's plaintext; undefined when 'off'. */
  workDir: string | undefined;
  /** Where upload bodies and in-room prepared files wait for the engine. */
  incomingDir: string;
}

/**
 * Sets up encryption at rest for a data dir: the key ring (`<dataDir>/keys`), the store
 * cipher, and the work dir, emptied (a killed server's plaintext goes) and made private
 * (mode 0700 up to `cleanroom-<uid>`). Only the data dir's one server may call it (it holds
 * the lock). With encryption 'off', plain files under the data dir, as before.
 *
 * @example
 * ```ts
 * const atRest = await openAtRest('/var/cleanroom', masterKey, { encryption: 'required' });
 * ```
 */
export async function openAtRest(dataDir: string, masterKey: Uint8Array, options: { encryption?: 'required' | 'preferred' | 'off'; workDir?: string } = {}): Promise<AtRest> {
  if (options.encryption === 'off') {
    const incomingDir = join(dataDir, 'incoming');
    await mkdir(incomingDir, { recursive: true, mode: 0o700 });
    return { cipher: undefined, workDir: undefined, incomingDir };
  }
  const workDir = workDirFor(dataDir, options.workDir);
  await mkdir(dirname(workDir), { recursive: true, mode: 0o700 });
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { mode: 0o700 });
  const incomingDir = join(workDir, 'incoming');
  await mkdir(incomingDir, { mode: 0o700 });
  const cipher = new StoreCipher(await KeyRing.open(join(dataDir, 'keys'), masterKey));
  return { cipher, workDir, incomingDir };
}
