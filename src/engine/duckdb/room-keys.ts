import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { CleanRoomError } from '../../core/errors.js';

/** The secrets of one room, unwrapped. */
export interface RoomKeys {
  /** The DuckDB database encryption key (32 random bytes); unused when not encrypted. */
  dataKey: Buffer;
  /** The per-collaboration secret identifiers are re-keyed with (HMAC-SHA256). */
  hmacKey: Buffer;
  /** Whether the room's database was created encrypted at rest. */
  encryptedAtRest: boolean;
}

interface WrappedKey {
  iv: string;
  tag: string;
  ciphertext: string;
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

const KEY_BYTES = 32;

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
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
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

function checkMasterKey(masterKey: Uint8Array): void {
  if (masterKey.length !== KEY_BYTES) {
    throw new CleanRoomError(
      'invalid_argument',
      `Cannot use the master key: it must be ${KEY_BYTES} bytes, current length is ${masterKey.length}`,
    );
  }
}

function aad(collaborationId: string, purpose: 'data' | 'hmac', encryptedAtRest: boolean): Buffer {
  return Buffer.from(`cleanroom.room-keys/v1/${collaborationId}/${purpose}/${encryptedAtRest}`, 'utf8');
}

function wrap(masterKey: Uint8Array, key: Buffer, additionalData: Buffer): WrappedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(additionalData);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function unwrap(masterKey: Uint8Array, wrapped: WrappedKey, additionalData: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAAD(additionalData);
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  const key = Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]);
  if (key.length !== KEY_BYTES) throw new Error('unwrapped key has the wrong length');
  return key;
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

function isWrapped(value: unknown): value is WrappedKey {
  const wrapped = value as Partial<WrappedKey> | undefined;
  return typeof wrapped?.iv === 'string' && typeof wrapped.tag === 'string' && typeof wrapped.ciphertext === 'string';
}
