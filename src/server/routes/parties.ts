import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps, ServerLimits } from '../app-env.js';
import { newApiKey } from '../auth/api-key.js';
import { requireOperator } from '../auth/authenticate.js';
import type { Party } from '../../core/parties/party-store.js';
import { ApiError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import { createPartyBody } from '../schemas.js';

/**
 * Parties and their keys. The operator creates parties, issues and revokes keys; any
 * caller may list the parties' ids and names (needed to invite one into a collaboration),
 * only the operator sees their keys' ids and states.
 *
 * @example
 * ```ts
 * app.route('/v1/parties', partyRoutes(deps, limits));
 * ```
 */
export function partyRoutes(deps: ServerDeps, limits: ServerLimits): Hono<AppEnv> {
  const { parties } = deps;
  const now = () => (deps.clock?.() ?? new Date()).toISOString();
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    requireOperator(c.get('caller'));
    const { name } = await readJson(c, createPartyBody, limits.jsonBytes);
    const key = newApiKey();
    const party: Party = { id: `p_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`, name, createdAt: now(), keys: [{ id: key.keyId, hash: key.hash, createdAt: now(), revokedAt: null }] };
    await parties.create(party);
    deps.logger.info({ event: 'party_created', party: party.id, keyId: key.keyId }, 'party created');
    return c.json({ id: party.id, name, apiKey: key.apiKey, keyId: key.keyId }, 201);
  });

  app.get('/', async (c) => {
    const operator = c.get('caller').kind === 'operator';
    const all = await parties.list();
    return c.json({ parties: all.map((p) => (operator ? { id: p.id, name: p.name, createdAt: p.createdAt, keys: p.keys.map(({ id, createdAt, revokedAt }) => ({ id, createdAt, revokedAt })) } : { id: p.id, name: p.name })) });
  });

  app.post('/:id/keys', async (c) => {
    requireOperator(c.get('caller'));
    const party = await found(c.req.param('id'));
    const key = newApiKey();
    party.keys.push({ id: key.keyId, hash: key.hash, createdAt: now(), revokedAt: null });
    await parties.put(party);
    deps.logger.info({ event: 'key_issued', party: party.id, keyId: key.keyId }, 'key issued');
    return c.json({ partyId: party.id, keyId: key.keyId, apiKey: key.apiKey }, 201);
  });

  app.delete('/:id/keys/:keyId', async (c) => {
    requireOperator(c.get('caller'));
    const party = await found(c.req.param('id'));
    const key = party.keys.find((k) => k.id === c.req.param('keyId'));
    if (key === undefined) throw new ApiError('not_found', `Cannot find key ${c.req.param('keyId')} of party ${party.id}`, { field: 'keyId' });
    key.revokedAt ??= now();
    await parties.put(party);
    deps.logger.info({ event: 'key_revoked', party: party.id, keyId: key.id }, 'key revoked');
    return c.json({ partyId: party.id, keyId: key.id, revokedAt: key.revokedAt });
  });

  async function found(id: string): Promise<Party> {
    const party = await parties.get(id);
    if (party === undefined) throw new ApiError('not_found', `Cannot find party ${id}`, { field: 'party' });
    return party;
  }

  return app;
}
