import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new API key: `crk_<keyId>_<secret>` with a 32-byte base64url secret. The key id names
 * the key in logs and the audit log without revealing it; only the SHA-256 of the whole
 * key is ever stored.
 *
 * @example
 * ```ts
 * const { keyId, apiKey, hash } = newApiKey(); // apiKey: 'crk_k3f9a2c1d0e4b5a6_…'
 * ```
 */
export function newApiKey(): { keyId: string; apiKey: string; hash: string } {
  const keyId = `k${randomBytes(8).toString('hex')}`;
  const apiKey = `crk_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, apiKey, hash: hashApiKey(apiKey) };
}

/**
 * The key id of a well-formed key, or undefined.
 *
 * @example
 * ```ts
 * keyIdOf('crk_k0011223344556677_abc'); // 'k0011223344556677'
 * ```
 */
export function keyIdOf(apiKey: string): string | undefined {
  const match = /^crk_(k[0-9a-f]{16})_[A-Za-z0-9_-]{43}$/.exec(apiKey);
  return match?.[1];
}

/**
 * The stored form of a key: its SHA-256, hex.
 *
 * @example
 * ```ts
 * hashApiKey(apiKey); // '9f86d0…'
 * ```
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * Whether a presented key matches a stored hash, compared in constant time.
 *
 * @example
 * ```ts
 * keyMatches(apiKey, stored.hash); // true
 * ```
 */
export function keyMatches(apiKey: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(apiKey, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
