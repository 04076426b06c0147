import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CleanRoomError } from '../core/errors.js';

/** A 32-byte key wrapped by the master key: AES-256-GCM, Base64 fields. */
export interface WrappedKey {
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Bytes of the master key and of every data key. */
export const KEY_BYTES = 32;

/**
 * Refuses a master key of the wrong length, naming it.
 *
 * @example
 * ```ts
 * checkMasterKey(new Uint8Array(16)); // throws invalid_argument
 * ```
 */
export function checkMasterKey(masterKey: Uint8Array): void {
  if (masterKey.length !== KEY_BYTES) {
    throw new CleanRoomError('invalid_argument', `Cannot use the master key: it must be ${KEY_BYTES} bytes, current length is ${masterKey.length}`);
  }
}

/**
 * Wraps `key` with the master key, bound to `additionalData` (the owner and purpose), so
 * a wrapped key moved to another owner does not unwrap.
 *
 * @example
 * ```ts
 * const wrapped = wrapKey(masterKey, dataKey, Buffer.from('cleanroom.data-key/v1/c_1'));
 * ```
 */
export function wrapKey(masterKey: Uint8Array, key: Buffer, additionalData: Buffer): WrappedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(additionalData);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/**
 * Unwraps a key wrapped by {@link wrapKey}; throws (a plain Error) on a wrong master key,
 * another owner's key or a changed field. Callers say which file in their message.
 *
 * @example
 * ```ts
 * const dataKey = unwrapKey(masterKey, wrapped, Buffer.from('cleanroom.data-key/v1/c_1'));
 * ```
 */
export function unwrapKey(masterKey: Uint8Array, wrapped: WrappedKey, additionalData: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAAD(additionalData);
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  const key = Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]);
  if (key.length !== KEY_BYTES) throw new Error('unwrapped key has the wrong length');
  return key;
}

/**
 * Whether a parsed JSON value has the shape of a {@link WrappedKey}.
 *
 * @example
 * ```ts
 * isWrapped({ iv: 'a', tag: 'b', ciphertext: 'c' }); // true
 * ```
 */
export function isWrapped(value: unknown): value is WrappedKey {
  const wrapped = value as Partial<WrappedKey> | undefined;
  return typeof wrapped?.iv === 'string' && typeof wrapped.tag === 'string' && typeof wrapped.ciphertext === 'string';
}
