import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { partyActor } from '../auth/authenticate.js';
import { ApiError } from '../http/http-error.js';
import { readJson } from '../http/read-json.js';
import { blindAnswerBody, blindKeyCheckBody } from '../schemas.js';

/** An answer is 64 hex per element plus JSON quoting: a batch of 4096 fits in 300 KiB. */
const ANSWER_BYTES = 8 * 1024 ** 2;

function position(text: string, field: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new ApiError('invalid_argument', `Cannot read ${field} ${JSON.stringify(text.slice(0, 40))}: a whole number is expected`, { field });
  return Number(text);
}

/**
 * The double-blind exchange (docs/double-blind.md): what waits for the caller, its key check,
 * and the batches of the other party's singly blinded values it blinds a second time. Only
 * members reach a collaboration; only an upload's blinder reaches its batches.
 *
 * @example
 * ```ts
 * app.route('/v1/collaborations', blindRoutes(deps));
 * ```
 */
export function blindRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { room } = deps;
  const app = new Hono<AppEnv>();

  app.get('/:id/blind', async (c) => c.json(await room.blindStatus(partyActor(c.get('caller')), c.req.param('id'))));

  app.put('/:id/blind/key-check', async (c) => {
    const body = await readJson(c, blindKeyCheckBody, 4096);
    return c.json(await room.registerBlindKey(partyActor(c.get('caller')), c.req.param('id'), body.keyCheck));
  });

  app.get('/:id/blind/:dataset/:upload/:index', async (c) => {
    const { id, dataset, upload, index } = c.req.param();
    return c.json(await room.blindBatch(partyActor(c.get('caller')), id, dataset, position(upload, 'upload'), position(index, 'batch')));
  });

  app.put('/:id/blind/:dataset/:upload/:index', async (c) => {
    const { id, dataset, upload, index } = c.req.param();
    const actor = partyActor(c.get('caller'));
    // Membership first, so a stranger's body is never read.
    await room.getCollaboration(actor, id);
    const body = await readJson(c, blindAnswerBody, ANSWER_BYTES);
    return c.json(await room.answerBlindBatch(actor, id, dataset, position(upload, 'upload'), position(index, 'batch'), body));
  });

  return app;
}
