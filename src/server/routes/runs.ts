import { Hono } from 'hono';
import type { AppEnv, ServerDeps, ServerLimits } from '../app-env.js';
import { partyActor } from '../auth/authenticate.js';
import { readJson } from '../http/read-json.js';
import { RunLimiter } from '../http/run-limiter.js';
import { reviewBody, runBody } from '../schemas.js';

/**
 * Runs, reviews, activation audiences and the audit log of a collaboration. The room
 * decides who may see what: results only to receivers, audiences only to their owner.
 *
 * @example
 * ```ts
 * app.route('/v1/collaborations', runRoutes(deps, limits));
 * ```
 */
export function runRoutes(deps: ServerDeps, limits: ServerLimits): Hono<AppEnv> {
  const { room } = deps;
  const limiter = new RunLimiter({ concurrent: limits.runsConcurrent, queued: limits.runsQueued });
  const app = new Hono<AppEnv>();

  app.post('/:id/runs', async (c) => {
    const actor = partyActor(c.get('caller'));
    const id = c.req.param('id');
    const body = await readJson(c, runBody, limits.jsonBytes);
    const run = await limiter.run(id, () => room.run(actor, id, body.analysis, body.params));
    return c.json(run, 201);
  });

  app.get('/:id/runs', async (c) => {
    const actor = partyActor(c.get('caller'));
    // Summaries only: the same runs getRun would show this party, without any result.
    return c.json({ runs: await room.listRuns(actor, c.req.param('id')) });
  });

  app.get('/:id/runs/:runId', async (c) => {
    const actor = partyActor(c.get('caller'));
    return c.json(await room.getRun(actor, c.req.param('id'), c.req.param('runId')));
  });

  app.post('/:id/runs/:runId/review', async (c) => {
    const actor = partyActor(c.get('caller'));
    const { decision } = await readJson(c, reviewBody, limits.jsonBytes);
    return c.json(await room.review(actor, c.req.param('id'), c.req.param('runId'), decision));
  });

  app.get('/:id/runs/:runId/audience.csv', async (c) => {
    const actor = partyActor(c.get('caller'));
    const runId = c.req.param('runId');
    const csv = await room.audienceCsv(actor, c.req.param('id'), runId);
    c.header('content-disposition', `attachment; filename="audience-${runId}.csv"`);
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store' });
  });

  app.get('/:id/audit', async (c) => {
    const actor = partyActor(c.get('caller'));
    return c.json({ events: await room.auditEvents(actor, c.req.param('id')) });
  });

  app.get('/:id/audit/verify', async (c) => {
    const actor = partyActor(c.get('caller'));
    return c.json(await room.verifyAudit(actor, c.req.param('id')));
  });

  return app;
}
