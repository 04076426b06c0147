import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { CleanRoomError } from '../../core/errors.js';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../crypto/sealed-file.js';
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
  /** A data dir made before sealing existed: it stays plain (see {@link atRestMode}). */
  legacy: boolean;
}

/**
 * Sets up encryption at rest for a data dir: the key ring (`<dataDir>/keys`), the store
 * cipher, and the work dir, emptied (a killed server's plaintext goes) and made private
 * (mode 0700 up to `cleanroom-<uid>`). Only the data dir's one server may call it (it holds
 * the lock). With encryption 'off', or on a data dir made plain (see {@link atRestMode}),
 * plain files under the data dir.
 *
 * @example
 * ```ts
 * const atRest = await openAtRest('/var/cleanroom', masterKey, { encryption: 'required' });
 * ```
 */
export async function openAtRest(dataDir: string, masterKey: Uint8Array, options: { encryption?: 'required' | 'preferred' | 'off'; workDir?: string } = {}): Promise<AtRest> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const mode = await atRestMode(dataDir, options.encryption ?? 'required');
  if (!mode.sealed) {
    const incomingDir = join(dataDir, 'incoming');
    await mkdir(incomingDir, { recursive: true, mode: 0o700 });
    return { cipher: undefined, workDir: undefined, incomingDir, legacy: mode.legacy };
  }
  const workDir = workDirFor(dataDir, options.workDir);
  await mkdir(dirname(workDir), { recursive: true, mode: 0o700 });
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { mode: 0o700 });
  const incomingDir = join(workDir, 'incoming');
  await mkdir(incomingDir, { mode: 0o700 });
  const cipher = new StoreCipher(await KeyRing.open(join(dataDir, 'keys'), masterKey));
  return { cipher, workDir, incomingDir, legacy: false };
}

/** What `<dataDir>/at-rest.json` records: whether this data dir seals its content. */
interface AtRestMarker {
  format: 'cleanroom.at-rest';
  version: 1;
  sealed: boolean;
}

/**
 * The at-rest mode of a data dir, which it keeps for life (`<dataDir>/at-rest.json`): a new
 * data dir takes `requested` (sealed unless 'off'); a data dir that already holds
 * collaborations but no marker was made before sealing existed and stays plain (the
 * caller warns); a sealed data dir is never opened plain.
 *
 * @example
 * ```ts
 * const { sealed, legacy } = await atRestMode('/var/cleanroom', 'required');
 * ```
 */
export async function atRestMode(dataDir: string, requested: 'required' | 'preferred' | 'off'): Promise<{ sealed: boolean; legacy: boolean }> {
  const path = join(dataDir, 'at-rest.json');
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    let marker: Partial<AtRestMarker> | undefined;
    try {
      marker = JSON.parse(text) as Partial<AtRestMarker>;
    } catch {
      marker = undefined;
    }
    if (marker?.format !== 'cleanroom.at-rest' || typeof marker.sealed !== 'boolean') throw new CleanRoomError('invalid_input', `Cannot read ${path}: it is not a cleanroom at-rest marker`, { details: { file: path } });
    if (marker.sealed && requested === 'off') throw new CleanRoomError('invalid_argument', `Cannot open ${dataDir} with encryption off: its content is sealed at rest (${path})`, { details: { file: path } });
    return { sealed: marker.sealed, legacy: !marker.sealed && requested !== 'off' };
  }
  const held = async (sub: string) => (await readdir(join(dataDir, sub)).catch(() => [] as string[])).length > 0;
  const legacy = requested !== 'off' && ((await held('collaborations')) || (await held(join('store', 'collaborations'))));
  const sealed = requested !== 'off' && !legacy;
  await writeFileAtomic(path, JSON.stringify({ format: 'cleanroom.at-rest', version: 1, sealed } satisfies AtRestMarker));
  return { sealed, legacy };
}
