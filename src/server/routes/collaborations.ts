import { rm } from 'node:fs/promises';
import { Hono } from 'hono';
import { rolesOf } from '../../core/collaboration/access.js';
import type { Collaboration } from '../../core/collaboration/collaboration.js';
import { datasetCsvTemplate, ownEntry, validateTemplate } from '../../core/template/index.js';
import type { HashingMode, Template } from '../../core/template/index.js';
import type { AppEnv, ServerDeps, ServerLimits } from '../app-env.js';
import { partyActor, requireOperator } from '../auth/authenticate.js';
import { ApiError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import { receiveUpload, uploadStream } from '../http/receive-upload.js';
import { attestBody, createCollaborationBody } from '../schemas.js';

/**
 * Collaborations, attestations and dataset uploads. Every object is reached through the
 * room, which answers a non-member exactly as for a missing collaboration; the operator
 * key acts in none.
 *
 * @example
 * ```ts
 * app.route('/v1/collaborations', collaborationRoutes(deps, limits));
 * ```
 */
export function collaborationRoutes(deps: ServerDeps, limits: ServerLimits): Hono<AppEnv> {
  const { room } = deps;
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const actor = partyActor(c.get('caller'));
    const body = await readJson(c, createCollaborationBody, limits.jsonBytes);
    const ready = deps.templates.get(body.template);
    if (ready === undefined) throw new ApiError('invalid_argument', `Cannot create collaboration '${body.name}': there is no ready template ${body.template}`, { field: 'template' });
    for (const [role, party] of Object.entries(body.members)) {
      if ((await deps.parties.get(party)) === undefined) throw new ApiError('invalid_argument', `Cannot create collaboration '${body.name}': member ${party} for role ${role} is not a party of this server`, { field: `members.${role}` });
    }
    const created = await room.createCollaboration(actor, { name: body.name, template: withHashing(ready.template, body.hashing), members: body.members });
    return c.json(view(created, actor.party), 201);
  });

  app.get('/', async (c) => {
    const actor = partyActor(c.get('caller'));
    const all = await room.listCollaborations(actor);
    return c.json({ collaborations: all.map((x) => view(x, actor.party)) });
  });

  app.get('/:id', async (c) => {
    const actor = partyActor(c.get('caller'));
    return c.json(view(await room.getCollaboration(actor, c.req.param('id')), actor.party));
  });

  // The operator deletes a collaboration for good: keys first (crypto-shredding), then every file.
  app.delete('/:id', async (c) => {
    requireOperator(c.get('caller'));
    const id = c.req.param('id');
    await room.deleteCollaboration(id);
    deps.logger.info({ event: 'collaboration_deleted', collaboration: id }, 'collaboration deleted, keys destroyed first');
    return c.body(null, 204);
  });

  app.get('/:id/identity', async (c) => c.json(await room.identity(partyActor(c.get('caller')), c.req.param('id'))));

  app.post('/:id/attestations', async (c) => {
    const actor = partyActor(c.get('caller'));
    const body = await readJson(c, attestBody, limits.jsonBytes);
    return c.json(view(await room.attest(actor, c.req.param('id'), body), actor.party), 201);
  });

  app.get('/:id/datasets/:name/template.csv', async (c) => {
    const actor = partyActor(c.get('caller'));
    const collaboration = await room.getCollaboration(actor, c.req.param('id'));
    const name = c.req.param('name');
    if (ownEntry(collaboration.template.datasets, name) === undefined) throw new ApiError('not_found', `Cannot find dataset '${name}' in collaboration ${collaboration.id}`, { field: 'dataset' });
    c.header('content-disposition', `attachment; filename="${name}.template.csv"`);
    return c.body(datasetCsvTemplate(collaboration.template, name), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  app.put('/:id/datasets/:name', async (c) => {
    const actor = partyActor(c.get('caller'));
    const id = c.req.param('id');
    // Membership first, so a stranger's body is never written to disk.
    const collaboration = await room.getCollaboration(actor, id);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > limits.uploadBytes) throw new ApiError('too_large', `Cannot accept the upload: it is ${declared} bytes, more than ${limits.uploadBytes}`, { limit: limits.uploadBytes });
    if (collaboration.template.identity.hashing === 'double-blind') {
      // Singly blinded values: kept by the exchange until the other party blinds them.
      const body = uploadStream(c.req.raw.body, { encoding: c.req.header('content-encoding'), maxBytes: limits.uploadBytes, maxDecompressedBytes: limits.uploadDecompressedBytes });
      return c.json(await room.uploadBlind(actor, id, c.req.param('name'), body, c.req.header('x-cleanroom-key-check')), 202);
    }
    if (collaboration.template.identity.hashing === 'room') {
      // Raw identifiers: hashed by the room as the body arrives, never written to disk.
      const body = uploadStream(c.req.raw.body, { encoding: c.req.header('content-encoding'), maxBytes: limits.uploadBytes, maxDecompressedBytes: limits.uploadDecompressedBytes });
      try {
        return c.json(await room.upload(actor, id, c.req.param('name'), body), 201);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('Z_')) throw new ApiError('invalid_input', 'Cannot read the upload as gzip: the compressed data is damaged', { field: 'body' });
        throw error;
      }
    }
    const path = await receiveUpload(c.req.raw.body, {
      dir: deps.incomingDir,
      encoding: c.req.header('content-encoding'),
      maxBytes: limits.uploadBytes,
      maxDecompressedBytes: limits.uploadDecompressedBytes,
    });
    try {
      return c.json(await room.upload(actor, id, c.req.param('name'), path), 201);
    } finally {
      await rm(path, { force: true });
    }
  });

  return app;
}

/**
 * The ready template, or a copy that protects identifiers another way (`hashing` of the
 * create body), checked again as a whole: a double-blind copy of a template whose identity
 * runs over three parties is refused with the checker's problems.
 */
function withHashing(template: Template, hashing: HashingMode | undefined): Template {
  if (hashing === undefined || hashing === template.identity.hashing) return template;
  const checked = validateTemplate({ ...template, identity: { ...template.identity, hashing } });
  if (!checked.ok) {
    const first = checked.problems[0]!;
    throw new ApiError('invalid_argument', `Cannot create a collaboration of ${template.name} with hashing ${hashing}: ${first.message}`, { field: 'hashing', problems: checked.problems });
  }
  return checked.template;
}

/**
 * A collaboration as its members see it, with the caller's own roles.
 *
 * @example
 * ```ts
 * view(collaboration, 'p_retailer').roles; // ['retailer']
 * ```
 */
export function view(collaboration: Collaboration, party: string): Omit<Collaboration, 'matchReports'> & { roles: string[]; encryptedAtRest: boolean } {
  // The match reports hold exact match counts: members see them only through the guarded
  // analyses and GET …/identity (thresholded), never here.
  const { matchReports: _reports, ...shown } = collaboration;
  return { ...shown, encryptedAtRest: collaboration.encryptedAtRest === true, roles: rolesOf(collaboration, party) };
}
