import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CleanRoomError } from '../../core/errors.js';
import { checkMasterKey, isWrapped, KEY_BYTES, unwrapKey, wrapKey } from '../../crypto/key-wrap.js';
import type { WrappedKey } from '../../crypto/key-wrap.js';
import { syncDirectory, writeFileAtomic } from '../../crypto/sealed-file.js';

/** One collaboration's store key on disk, wrapped by the master key. */
interface DataKeyFile {
  format: 'cleanroom.data-key';
  version: 1;
  scope: string;
  cipher: 'aes-256-gcm';
  key: WrappedKey;
}

const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;
/** The suffix of a store data key file (a room's own keys end in `.room.json`). */
const STORE_KEY = '.store.json';

function aad(scope: string): Buffer {
  return Buffer.from(`cleanroom.data-key/v1/${scope}`, 'utf8');
}

/**
 * The data keys of the durable stores, one per collaboration (the scope), at
 * `<dir>/<scope>.store.json` (mode 0600, beside the rooms' `<id>.room.json`) wrapped by the master key: run records, ledgers, the
 * release memory, audit logs and blind exchanges of a collaboration are sealed under its
 * key. `destroy` removes the key (and syncs that to disk) before anything else of the
 * collaboration goes: crypto-shredding, so copies in old backups stay unreadable.
 *
 * @example
 * ```ts
 * const ring = await KeyRing.open('/data/keys', masterKey);
 * const key = await ring.keyFor('c_1'); // made on first use
 * await ring.destroy('c_1');
 * ```
 */
export class KeyRing {
  readonly #dir: string;
  readonly #masterKey: Uint8Array;
  readonly #keys = new Map<string, Promise<Buffer>>();

  private constructor(dir: string, masterKey: Uint8Array) {
    this.#dir = dir;
    this.#masterKey = masterKey;
  }

  static async open(dir: string, masterKey: Uint8Array): Promise<KeyRing> {
    checkMasterKey(masterKey);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new KeyRing(dir, new Uint8Array(masterKey));
  }

  /** The scope's key: read and unwrapped once, or made and written (atomically) on first use. */
  keyFor(scope: string): Promise<Buffer> {
    if (!SCOPE.test(scope)) return Promise.reject(new CleanRoomError('invalid_argument', `Cannot use a data key for ${JSON.stringify(scope.slice(0, 80))}: expected 1 to 64 letters, digits, _ or -`));
    let found = this.#keys.get(scope);
    if (found === undefined) {
      found = this.#load(scope);
      this.#keys.set(scope, found);
      found.catch(() => this.#keys.get(scope) === found && this.#keys.delete(scope));
    }
    return found;
  }

  /** Destroys the scope's key, on disk first: whatever was sealed under it is noise from now on. */
  async destroy(scope: string): Promise<void> {
    if (!SCOPE.test(scope)) return;
    this.#keys.delete(scope);
    await rm(this.#path(scope), { force: true });
    await syncDirectory(this.#dir);
  }

  #path(scope: string): string {
    return join(this.#dir, `${scope}${STORE_KEY}`);
  }

  async #load(scope: string): Promise<Buffer> {
    const path = this.#path(scope);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new CleanRoomError('io_error', `Cannot read the data key ${path}: ${error.code ?? error.message}`, { details: { file: path } });
    });
    if (text === undefined) return this.#create(scope, path);
    return unwrapDataKey(this.#masterKey, parseDataKeyFile(text, path), scope, path);
  }

  async #create(scope: string, path: string): Promise<Buffer> {
    const key = randomBytes(KEY_BYTES);
    const file: DataKeyFile = { format: 'cleanroom.data-key', version: 1, scope, cipher: 'aes-256-gcm', key: wrapKey(this.#masterKey, key, aad(scope)) };
    await writeFileAtomic(path, JSON.stringify(file, null, 2));
    await syncDirectory(this.#dir);
    return key;
  }
}

/**
 * Re-wraps every data key in `dir` from one master key to another. Every file is opened
 * first (a file already wrapped by `to`, left by an interrupted rotation, is kept as it
 * is); only if all open does any get written, each atomically. Returns how many changed.
 *
 * @example
 * ```ts
 * await rewrapDataKeys('/data/keys', oldMaster, newMaster); // 3
 * ```
 */
export async function rewrapDataKeys(dir: string, from: Uint8Array, to: Uint8Array): Promise<number> {
  checkMasterKey(to);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(STORE_KEY));
  const keys: { path: string; file: DataKeyFile; key: Buffer }[] = [];
  for (const name of files) {
    const path = join(dir, name);
    const file = parseDataKeyFile(await readFile(path, 'utf8'), path);
    try {
      keys.push({ path, file, key: unwrapDataKey(from, file, file.scope, path) });
    } catch (error) {
      // Already moved by a rotation that stopped half way? Then it unwraps with the new key.
      try {
        unwrapDataKey(to, file, file.scope, path);
      } catch {
        throw error;
      }
    }
  }
  for (const { path, file, key } of keys) await writeFileAtomic(path, JSON.stringify({ ...file, key: wrapKey(to, key, aad(file.scope)) }, null, 2));
  await syncDirectory(dir);
  return keys.length;
}

function unwrapDataKey(masterKey: Uint8Array, file: DataKeyFile, scope: string, path: string): Buffer {
  try {
    if (file.scope !== scope) throw new Error('scope');
    return unwrapKey(masterKey, file.key, aad(scope));
  } catch {
    throw new CleanRoomError('invalid_argument', `Cannot open the data key ${path}: the master key does not unwrap it (a wrong master key, or a changed file)`, { details: { file: path } });
  }
}

function parseDataKeyFile(text: string, path: string): DataKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const file = value as Partial<DataKeyFile> | undefined;
  if (file?.format !== 'cleanroom.data-key' || file.version !== 1 || typeof file.scope !== 'string' || !isWrapped(file.key)) {
    throw new CleanRoomError('invalid_input', `Cannot read the data key ${path}: it is not a cleanroom.data-key v1 document`, { details: { file: path } });
  }
  return file as DataKeyFile;
}

