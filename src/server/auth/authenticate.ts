import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Caller } from '../app-env.js';
import { ApiError } from '../http/http-error.js';
import { keyIdOf, keyMatches } from './api-key.js';
import type { PartyStore } from '../../core/parties/party-store.js';

const UNAUTHORIZED = 'Cannot authenticate the request: send Authorization: Bearer <api key> with a valid, unrevoked key';

/**
 * Resolves the caller from `Authorization: Bearer <key>` only: a party by a key id it
 * owns whose hash matches and that is not revoked, or the operator. Every failure — no
 * key, unknown id, wrong secret, revoked — is the same 401.
 *
 * @example
 * ```ts
 * app.use('/v1/*', authenticate(parties, operatorKeyHash));
 * ```
 */
export function authenticate(parties: PartyStore, operatorKeyHash: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
    if (match === null) throw new ApiError('unauthorized', UNAUTHORIZED);
    const caller = await resolve(parties, operatorKeyHash, match[1]!);
    if (caller === undefined) throw new ApiError('unauthorized', UNAUTHORIZED);
    c.set('caller', caller);
    await next();
  };
}

async function resolve(parties: PartyStore, operatorKeyHash: string, apiKey: string): Promise<Caller | undefined> {
  // The operator comparison always runs, so timing does not tell a party key from the operator's.
  const isOperator = keyMatches(apiKey, operatorKeyHash);
  const keyId = keyIdOf(apiKey);
  if (keyId !== undefined) {
    const party = await parties.findByKeyId(keyId);
    const key = party?.keys.find((k) => k.id === keyId);
    if (party !== undefined && key !== undefined && key.revokedAt === null && keyMatches(apiKey, key.hash)) {
      return { kind: 'party', actor: { party: party.id, keyId } };
    }
  }
  if (isOperator) return { kind: 'operator', keyId: keyId ?? 'operator' };
  return undefined;
}

/**
 * The calling party's actor; the operator gets `forbidden`, since it acts in no collaboration.
 *
 * @example
 * ```ts
 * const actor = partyActor(c.get('caller'));
 * ```
 */
export function partyActor(caller: Caller): { party: string; keyId: string } {
  if (caller.kind !== 'party') throw new ApiError('forbidden', 'Cannot act in a collaboration as the operator: use a party key');
  return caller.actor;
}

/**
 * Checks the caller is the operator.
 *
 * @example
 * ```ts
 * requireOperator(c.get('caller'));
 * ```
 */
export function requireOperator(caller: Caller): void {
  if (caller.kind !== 'operator') throw new ApiError('forbidden', 'Cannot do this as a party: only the operator key may');
}
