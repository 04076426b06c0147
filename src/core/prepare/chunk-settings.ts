import { hash as oneShotHash } from 'node:crypto';
import { CleanRoomError } from '../errors.js';
import { createBlindHasher } from '../identity/blind/blind-hasher.js';
import { readBlindKey } from '../identity/blind/blind-key.js';
import { createHasher } from '../identity/hash-identifier.js';
import type { PrepareScheme } from '../identity/hash-identifier.js';
import { getProfile } from '../identity/profiles.js';
import type { ProfileName } from '../identity/identity-profile.js';
import type { ColumnPlan } from './column-plan.js';
import type { PrepareChunkSettings } from './prepare-chunk.js';

/**
 * Everything a chunk needs, as plain data that can cross to a worker thread (or a Web
 * Worker) by structured clone; {@link buildChunkSettings} turns it into live settings.
 */
export interface ChunkSettingsData {
  plan: ColumnPlan;
  profile: ProfileName;
  defaultCountry: string;
  scheme: PrepareScheme;
  /** The HMAC key bytes for scheme 'hmac'; the blind key file's bytes for scheme 'blind'. */
  key?: Uint8Array;
  delimiter: string;
}

/**
 * Builds the live chunk settings (profile object, hasher) from their plain form. Scheme
 * 'blind' needs `blindReady()` done first (a worker awaits it before building).
 *
 * @example
 * ```ts
 * const settings = buildChunkSettings({ plan, profile: 'default', defaultCountry: 'US', scheme: 'sha256', delimiter: ',' });
 * ```
 */
export function buildChunkSettings(data: ChunkSettingsData): PrepareChunkSettings {
  const profile = getProfile(data.profile);
  if (data.scheme === 'blind') {
    if (data.key === undefined) throw new CleanRoomError('invalid_argument', 'Cannot blind identifiers: no blind key given (use --key-file)', { details: { field: 'key-file' } });
    const hasher = createBlindHasher(readBlindKey(data.key), { encoding: profile.hashEncoding, sha256: (text) => oneShotHash('sha256', text, 'buffer') });
    return { plan: data.plan, profile, hasher, normalize: { defaultCountry: data.defaultCountry }, delimiter: data.delimiter };
  }
  const hasher = createHasher(data.key === undefined ? { scheme: data.scheme, encoding: profile.hashEncoding } : { scheme: data.scheme, encoding: profile.hashEncoding, key: data.key });
  return { plan: data.plan, profile, hasher, normalize: { defaultCountry: data.defaultCountry }, delimiter: data.delimiter };
}
