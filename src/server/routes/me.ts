import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../app-env.js';

/**
 * `GET /v1/me`: who the key belongs to — `{kind: 'party', id, name, keyId}` or
 * `{kind: 'operator', id: 'operator'}` — so a client can sign in with a key alone.
 *
 * @example
 * ```ts
 * app.route('/v1/me', meRoutes(deps));
 * ```
 */
export function meRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const caller = c.get('caller');
    if (caller.kind === 'operator') return c.json({ kind: 'operator', id: 'operator', name: 'operator', keyId: caller.keyId });
    const party = await deps.parties.get(caller.actor.party);
    return c.json({ kind: 'party', id: caller.actor.party, name: party?.name ?? null, keyId: caller.actor.keyId });
  });
  return app;
}
