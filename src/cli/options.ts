import { readFile } from 'node:fs/promises';
import { CleanRoomError } from '../core/errors.js';
import { PROFILE_NAMES } from '../core/identity/identity-profile.js';
import type { ProfileName } from '../core/identity/identity-profile.js';
import { readBlindKey } from '../core/identity/blind/blind-key.js';
import { readHashKey } from '../core/identity/hash-identifier.js';
import type { PrepareScheme } from '../core/identity/hash-identifier.js';

/** Checks `--profile`. */
export function parseProfile(value: string): ProfileName {
  if ((PROFILE_NAMES as readonly string[]).includes(value)) return value as ProfileName;
  throw new CleanRoomError('invalid_argument', `Cannot use --profile ${value}: known profiles are ${PROFILE_NAMES.join(', ')}`, { details: { field: 'profile' } });
}

/** Checks `--country` (ISO 3166-1 alpha-2) and upper-cases it. */
export function parseCountry(value: string): string {
  if (/^[A-Za-z]{2}$/.test(value)) return value.toUpperCase();
  throw new CleanRoomError('invalid_argument', `Cannot use --country ${value}: expected an ISO 3166-1 alpha-2 code such as US, GB, DE`, { details: { field: 'country' } });
}

/** Checks `--hash`. */
export function parseHashScheme(value: string): 'sha256' | 'hmac' {
  if (value === 'sha256' || value === 'hmac') return value;
  throw new CleanRoomError('invalid_argument', `Cannot use --hash ${value}: expected sha256 or hmac`, { details: { field: 'hash' } });
}

/** Reads and checks the HMAC key file named by `--key-file`. */
export async function loadKeyFile(path: string): Promise<Uint8Array> {
  return checkKeyFile(path, await readKeyFile(path), readHashKey);
}

/**
 * Reads the blind key file named by `--key-file` and checks it (a canonical scalar in the
 * form `cleanroom keygen --blind` writes); returns the file's bytes, which the prepare
 * workers parse again on their side.
 *
 * @example
 * ```ts
 * const key = await loadBlindKeyFile('blind.key'); // throws a clear error for an HMAC key file
 * ```
 */
export async function loadBlindKeyFile(path: string): Promise<Uint8Array> {
  const bytes = await readKeyFile(path);
  checkKeyFile(path, bytes, readBlindKey);
  return bytes;
}

/** Checks `--hash` of `cleanroom prepare`: sha256, hmac or blind. */
export function parsePrepareScheme(value: string): PrepareScheme {
  if (value === 'blind') return value;
  try {
    return parseHashScheme(value);
  } catch {
    throw new CleanRoomError('invalid_argument', `Cannot use --hash ${value}: expected sha256, hmac or blind`, { details: { field: 'hash' } });
  }
}

async function readKeyFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CleanRoomError('not_found', `Cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      details: { file: path, field: 'key-file' },
    });
  }
}

function checkKeyFile<T>(path: string, bytes: Uint8Array, read: (bytes: Uint8Array) => T): T {
  try {
    return read(bytes);
  } catch (error) {
    if (error instanceof CleanRoomError) throw new CleanRoomError(error.code, `${error.message} (key file ${path})`, { details: { ...error.details, file: path } });
    throw error;
  }
}

/** Collects repeated `--map kind=Header` options into an object. */
export function collectMap(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    throw new CleanRoomError('invalid_argument', `Cannot use --map ${value}: expected kind=Header, e.g. --map email="E-mail Address"`, { details: { field: 'map' } });
  }
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}
