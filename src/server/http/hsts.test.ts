import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { hsts } from './hsts.js';

describe('hsts', () => {
  it('sets strict-transport-security for one year on answers, errors and not-found alike', async () => {
    const app = new Hono();
    app.use('*', hsts());
    app.onError((_error, c) => c.text('failed', 500));
    app.get('/ok', (c) => c.json({ ok: true }));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    for (const path of ['/ok', '/boom', '/missing']) expect((await app.request(path)).headers.get('strict-transport-security'), path).toBe('max-age=31536000');
  });
});
