import { sha256 } from '@noble/hashes/sha2.js';
import { createBlindHasher } from '../../../src/core/identity/blind/blind-hasher.js';
import { readBlindKey } from '../../../src/core/identity/blind/blind-key.js';
import { createBrowserHasher } from '../../../src/core/identity/browser-hasher.js';
import { getProfile } from '../../../src/core/identity/profiles.js';
import type { ChunkSettingsData } from '../../../src/core/prepare/chunk-settings.js';
import type { PrepareChunkSettings } from '../../../src/core/prepare/prepare-chunk.js';

/**
 * The browser's `buildChunkSettings`: the same live settings from the same plain data, with
 * the @noble/hashes hasher in place of node:crypto's. Core's own builder imports the Node
 * hasher, so the UI never imports it.
 *
 * @example
 * ```ts
 * const settings = buildBrowserChunkSettings({ plan, profile: 'default', defaultCountry: 'US', scheme: 'sha256', delimiter: ',' });
 * prepareChunk(bytes, 2, settings);
 * ```
 */
export function buildBrowserChunkSettings(data: ChunkSettingsData): PrepareChunkSettings {
  const profile = getProfile(data.profile);
  if (data.scheme === 'blind') {
    // The same blinding as the CLI's; `blindReady()` must have loaded the group first.
    if (data.key === undefined) throw new Error('Cannot blind identifiers: choose your blind key file first');
    const hasher = createBlindHasher(readBlindKey(data.key), { encoding: profile.hashEncoding, sha256: (text) => sha256(new TextEncoder().encode(text)) });
    return { plan: data.plan, profile, hasher, normalize: { defaultCountry: data.defaultCountry }, delimiter: data.delimiter };
  }
  const encoding = profile.hashEncoding;
  const hasher = createBrowserHasher(data.key === undefined ? { scheme: data.scheme, encoding } : { scheme: data.scheme, encoding, key: data.key });
  return { plan: data.plan, profile, hasher, normalize: { defaultCountry: data.defaultCountry }, delimiter: data.delimiter };
}
