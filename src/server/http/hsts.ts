import type { MiddlewareHandler } from 'hono';

/** One year, in seconds: browsers remember to use HTTPS only for this long. */
export const HSTS_MAX_AGE = 31_536_000;

/**
 * Sets `strict-transport-security` on every answer, errors and static files included. Only
 * for a server that speaks HTTPS: browsers ignore the header over plain HTTP.
 *
 * @example
 * ```ts
 * app.use('*', hsts()); // strict-transport-security: max-age=31536000
 * ```
 */
export function hsts(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('strict-transport-security', `max-age=${HSTS_MAX_AGE}`);
  };
}
