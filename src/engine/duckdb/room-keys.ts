import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../crypto/sealed-file.js';
import { CleanRoomError } from '../../core/errors.js';
import { checkMasterKey, isWrapped, KEY_BYTES, unwrapKey as unwrap, wrapKey as wrap } from '../../crypto/key-wrap.js';
import type { WrappedKey } from '../../crypto/key-wrap.js';

/** The secrets of one room, unwrapped. */
export interface RoomKeys {
  /** The DuckDB database encryption key (32 random bytes); unused when not encrypted. */
  dataKey: Buffer;
  /** The per-collaboration secret identifiers are re-keyed with (HMAC-SHA256). */
  hmacKey: Buffer;
  /** Whether the room's database was created encrypted at rest. */
  encryptedAtRest: boolean;
}

interface RoomKeysFile {
  format: 'cleanroom.room-keys';
  version: 1;
  collaborationId: string;
  encryptedAtRest: boolean;
  cipher: 'aes-256-gcm';
  dataKey: WrappedKey;
  hmacKey: WrappedKey;
}

/**
 * Make a room's keys, wrap them with the master key (AES-256-GCM, bound to the room id and
 * purpose so wrapped keys cannot be swapped between rooms) and write them to `path`
 * (mode 0600, atomically).
 *
 * @example
 * ```ts
 * const keys = await createRoomKeys(paths.keys, { masterKey, collaborationId: 'collab-7', encryptedAtRest: true });
 * keys.hmacKey.length; // 32
 * ```
 */
export async function createRoomKeys(
  path: string,
  options: { masterKey: Uint8Array; collaborationId: string; encryptedAtRest: boolean },
): Promise<RoomKeys> {
  const { masterKey, collaborationId, encryptedAtRest } = options;
  checkMasterKey(masterKey);
  const keys: RoomKeys = { dataKey: randomBytes(KEY_BYTES), hmacKey: randomBytes(KEY_BYTES), encryptedAtRest };
  const file: RoomKeysFile = {
    format: 'cleanroom.room-keys',
    version: 1,
    collaborationId,
    encryptedAtRest,
    cipher: 'aes-256-gcm',
    dataKey: wrap(masterKey, keys.dataKey, aad(collaborationId, 'data', encryptedAtRest)),
    hmacKey: wrap(masterKey, keys.hmacKey, aad(collaborationId, 'hmac', encryptedAtRest)),
  };
  await writeFileAtomic(path, JSON.stringify(file, null, 2));
  return keys;
}

/**
 * Read and unwrap a room's keys. A wrong master key, a file of another room or a
 * tampered file fails with 'invalid_argument'.
 *
 * @example
 * ```ts
 * const keys = await readRoomKeys(paths.keys, { masterKey, collaborationId: 'collab-7' });
 * ```
 */
export async function readRoomKeys(
  path: string,
  options: { masterKey: Uint8Array; collaborationId: string },
): Promise<RoomKeys> {
  const { masterKey, collaborationId } = options;
  checkMasterKey(masterKey);
  const file = parseKeysFile(await readFile(path, 'utf8'));
  try {
    const { encryptedAtRest } = file;
    return {
      dataKey: unwrap(masterKey, file.dataKey, aad(collaborationId, 'data', encryptedAtRest)),
      hmacKey: unwrap(masterKey, file.hmacKey, aad(collaborationId, 'hmac', encryptedAtRest)),
      encryptedAtRest,
    };
  } catch {
    throw new CleanRoomError(
      'invalid_argument',
      `Cannot open the room of collaboration ${collaborationId}: the master key does not unwrap its keys`,
      { details: { collaborationId } },
    );
  }
}

function aad(collaborationId: string, purpose: 'data' | 'hmac', encryptedAtRest: boolean): Buffer {
  return Buffer.from(`cleanroom.room-keys/v1/${collaborationId}/${purpose}/${encryptedAtRest}`, 'utf8');
}

function parseKeysFile(text: string): RoomKeysFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const file = value as Partial<RoomKeysFile> | undefined;
  if (
    file?.format !== 'cleanroom.room-keys' ||
    file.version !== 1 ||
    typeof file.encryptedAtRest !== 'boolean' ||
    !isWrapped(file.dataKey) ||
    !isWrapped(file.hmacKey)
  ) {
    throw new CleanRoomError('invalid_input', 'Cannot read the room keys file: it is not a cleanroom.room-keys v1 document');
  }
  return file as RoomKeysFile;
}

/**
 * Re-wraps a room's keys from one master key to another, in place and atomically; the
 * keys themselves, and so the sealed data, do not change. A file the old key does not
 * unwrap fails before anything is written, unless the new key already does ('already':
 * an interrupted rotation). `check: true` only checks.
 *
 * @example
 * ```ts
 * await rewrapRoomKeys(paths.keys, { from: oldMaster, to: newMaster, collaborationId: 'collab-7' });
 * ```
 */
export async function rewrapRoomKeys(path: string, options: { from: Uint8Array; to: Uint8Array; collaborationId: string; check?: boolean }): Promise<'rewrapped' | 'already' | 'checked'> {
  const { from, to, collaborationId } = options;
  checkMasterKey(to);
  const file = parseKeysFile(await readFile(path, 'utf8'));
  let keys: RoomKeys;
  try {
    keys = await readRoomKeys(path, { masterKey: from, collaborationId });
  } catch (error) {
    // Moved already by a rotation that stopped half way.
    if (await readRoomKeys(path, { masterKey: to, collaborationId }).then(() => true, () => false)) return 'already';
    throw error;
  }
  if (options.check === true) return 'checked';
  const next: RoomKeysFile = {
    ...file,
    dataKey: wrap(to, keys.dataKey, aad(collaborationId, 'data', file.encryptedAtRest)),
    hmacKey: wrap(to, keys.hmacKey, aad(collaborationId, 'hmac', file.encryptedAtRest)),
  };
  await writeFileAtomic(path, JSON.stringify(next, null, 2));
  return 'rewrapped';
}
