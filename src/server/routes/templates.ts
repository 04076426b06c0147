import { Hono } from 'hono';
import { paramsJsonSchema } from '../../core/template/index.js';
import type { ReadyTemplate } from '../../core/template/index.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { ApiError } from '../http/http-error.js';

/**
 * The ready templates, each with the JSON schema of every analysis's parameters (for
 * generated forms and scripts).
 *
 * @example
 * ```ts
 * app.route('/v1/templates', templateRoutes(deps));
 * ```
 */
export function templateRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.json({ templates: deps.templates.list().map(describeTemplate) }));
  app.get('/:name', (c) => {
    const found = deps.templates.get(c.req.param('name'));
    if (found === undefined) throw new ApiError('not_found', `Cannot find template ${c.req.param('name')}`, { field: 'template' });
    return c.json(describeTemplate(found));
  });
  return app;
}

/**
 * A ready template as the API shows it.
 *
 * @example
 * ```ts
 * describeTemplate(registry.get('audience-overlap')!).paramsJsonSchema.overlap;
 * ```
 */
export function describeTemplate(ready: ReadyTemplate): { name: string; version: string; digest: string; title: string; description: string; template: ReadyTemplate['template']; paramsJsonSchema: Record<string, Record<string, unknown>> } {
  const { template } = ready;
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [name, analysis] of Object.entries(template.analyses)) schemas[name] = paramsJsonSchema(analysis);
  return { name: ready.name, version: ready.version, digest: ready.digest, title: template.title, description: template.description, template, paramsJsonSchema: schemas };
}
