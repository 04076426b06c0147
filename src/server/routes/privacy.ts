import { Hono } from 'hono';
import type { AppEnv, ServerDeps, ServerLimits } from '../app-env.js';
import { partyActor } from '../auth/authenticate.js';
import { readJson } from '../http/read-json.js';
import { previewBody, privacyBudget, runPreview } from '../schemas.js';

/**
 * A collaboration's privacy budget and run previews: what remains, what an analysis costs,
 * whether a run would be allowed or reuse an earlier release. Members only; nothing is run,
 * charged or audited.
 *
 * @example
 * ```ts
 * app.route('/v1/collaborations', privacyRoutes(deps, limits)); // GET /:id/budget, POST /:id/runs/preview
 * ```
 */
export function privacyRoutes(deps: ServerDeps, limits: ServerLimits): Hono<AppEnv> {
  const { room } = deps;
  const app = new Hono<AppEnv>();

  app.get('/:id/budget', async (c) => {
    const actor = partyActor(c.get('caller'));
    return c.json(privacyBudget.parse(await room.privacyBudget(actor, c.req.param('id'))));
  });

  app.post('/:id/runs/preview', async (c) => {
    const actor = partyActor(c.get('caller'));
    const body = await readJson(c, previewBody, limits.jsonBytes);
    return c.json(runPreview.parse(await room.previewRun(actor, c.req.param('id'), body.analysis, body.params)));
  });

  return app;
}
