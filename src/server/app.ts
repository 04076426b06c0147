import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { CleanRoomError } from '../core/errors.js';
import { routePath } from 'hono/route';
import type { AppEnv, ServerDeps, ServerLimits } from './app-env.js';
import { DEFAULT_LIMITS } from './app-env.js';
import { authenticate } from './auth/authenticate.js';
import { hsts } from './http/hsts.js';
import { ApiError, renderError } from './http/http-error.js';
import { RateLimiter } from './http/rate-limiter.js';
import { openApiDocument } from './openapi.js';
import { collaborationRoutes } from './routes/collaborations.js';
import { blindRoutes } from './routes/blind.js';
import { metricsRoutes } from './routes/metrics.js';
import { meRoutes } from './routes/me.js';
import { partyRoutes } from './routes/parties.js';
import { privacyRoutes } from './routes/privacy.js';
import { runRoutes } from './routes/runs.js';
import { templateRoutes } from './routes/templates.js';

/**
 * The HTTP API as a Hono app, with no socket: tests call `app.request()`, main.ts serves
 * it. Logs name the route pattern, status, time and key id — never a URL's values, a
 * key, a body or an engine message.
 *
 * @example
 * ```ts
 * const app = createApp({ room, store, parties, templates, operatorKeyHash, incomingDir, logger });
 * const res = await app.request('/healthz');
 * ```
 */
export function createApp(deps: ServerDeps): Hono<AppEnv> {
  const limits: ServerLimits = Object.freeze({ ...DEFAULT_LIMITS, ...deps.limits });
  const { logger } = deps;
  const rate = new RateLimiter({ burst: limits.rateBurst, perSecond: limits.ratePerSecond });
  const openapi = openApiDocument();
  const app = new Hono<AppEnv>();

  if (deps.hsts === true) app.use('*', hsts());
  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('requestId', randomBytes(6).toString('hex'));
    await next();
    const caller = c.get('caller') as AppEnv['Variables']['caller'] | undefined;
    logger.info({
      reqId: c.get('requestId'),
      method: c.req.method,
      route: routePath(c),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(caller?.kind === 'party' ? { party: caller.actor.party, keyId: caller.actor.keyId } : caller?.kind === 'operator' ? { operator: true } : {}),
      ...(c.res.status >= 400 ? { code: c.res.headers.get('x-error-code') } : {}),
    }, 'request');
  });

  app.onError((error, c) => {
    const { status, body } = renderError(error);
    if (status >= 500) logger.error({ reqId: c.get('requestId'), code: body.error.code, ...failureForLog(error) }, 'request failed');
    if (error instanceof ApiError && error.code === 'rate_limited') c.header('retry-after', String(error.details.retryAfterSeconds ?? 1));
    if (body.error.code === 'unauthorized') c.header('www-authenticate', 'Bearer realm="cleanroom"');
    c.header('x-error-code', body.error.code);
    return c.json(body, status);
  });

  app.notFound((c) => {
    c.header('x-error-code', 'not_found');
    return c.json({ error: { code: 'not_found', message: `Cannot find ${c.req.method} route for this path`, details: {} } }, 404);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/openapi.json', (c) => c.json(openapi));

  app.use('/v1/*', async (c, next) => {
    // Results and keys must not sit in a proxy's or browser's cache.
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    await next();
  });
  app.use('/v1/*', authenticate(deps.parties, deps.operatorKeyHash));
  app.use('/v1/*', async (c, next) => {
    const caller = c.get('caller');
    const wait = rate.take(caller.kind === 'party' ? caller.actor.keyId : `operator:${caller.keyId}`);
    if (wait > 0) throw new ApiError('rate_limited', `Cannot accept more requests from this key now: retry in ${wait} s`, { retryAfterSeconds: wait });
    await next();
  });

  app.route('/v1/me', meRoutes(deps));
  app.route('/v1/parties', partyRoutes(deps, limits));
  app.route('/v1/templates', templateRoutes(deps));
  app.route('/v1/collaborations', collaborationRoutes(deps, limits));
  app.route('/v1/collaborations', privacyRoutes(deps, limits));
  app.route('/v1/collaborations', blindRoutes(deps));
  app.route('/v1/collaborations', runRoutes(deps, limits));
  app.route('/v1/metrics', metricsRoutes(deps));
  const { web } = deps;
  if (web !== undefined) {
    app.get('*', async (c, next) => (c.req.path.startsWith('/v1/') ? next() : web(c, next)));
  }
  return app;
}

/**
 * What a log may say about a failure: a CleanRoomError's message (written by cleanroom to
 * name objects, never values; engine text is dropped where it is raised), otherwise only
 * the error class and where it was thrown, since a foreign message may quote data.
 */
function failureForLog(error: Error): Record<string, string> {
  if (error instanceof CleanRoomError) return { errorClass: error.name, message: error.message };
  const at = error.stack?.split('\n').find((line) => line.trim().startsWith('at '))?.trim() ?? '';
  return { errorClass: error.name, at };
}
