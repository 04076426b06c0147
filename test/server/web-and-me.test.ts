import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { tempDir } from '../helpers/run-cleanroom.js';
import { TEMPLATES, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

describe('GET /v1/me and the run list', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await serverHarness();
  });
  afterAll(async () => h.close());

  it('names the caller from its key alone', async () => {
    const p = await h.party('Acme');
    expect(await (await h.call('GET', '/v1/me', { key: p.apiKey })).json()).toEqual({ kind: 'party', id: p.id, name: 'Acme', keyId: p.keyId });
    expect(await (await h.call('GET', '/v1/me', { key: h.operatorKey })).json()).toMatchObject({ kind: 'operator', id: 'operator' });
    expect((await h.call('GET', '/v1/me')).status).toBe(401);
  });

  it('lists run summaries, without results, to members only', async () => {
    const a = await h.party('A');
    const b = await h.party('B');
    const stranger = await h.party('S');
    const c = (await (await h.call('POST', '/v1/collaborations', { key: a.apiKey, json: { name: 'list', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } } })).json()) as { id: string };
    const listed = await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: b.apiKey });
    expect(await listed.json()).toEqual({ runs: [] });
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: stranger.apiKey })).status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: h.operatorKey })).status).toBe(403);
  });

  it('has no route that returns dataset rows', async () => {
    const p = await h.party('Rows');
    const q = await h.party('Rows2');
    const c = (await (await h.call('POST', '/v1/collaborations', { key: p.apiKey, json: { name: 'rows', template: 'audience-overlap', members: { insurer: p.id, partner: q.id } } })).json()) as { id: string };
    for (const path of [`/v1/collaborations/${c.id}/datasets`, `/v1/collaborations/${c.id}/datasets/policyholders`, `/v1/collaborations/${c.id}/datasets/policyholders/rows`]) {
      for (const key of [p.apiKey, h.operatorKey]) expect((await h.call('GET', path, { key })).status, path).toBe(404);
    }
  });
});

describe('cleanroom serve with a built UI', () => {
  it('serves the UI at / and its client routes, and keeps /v1 for the API', async () => {
    const dir = tempDir('cleanroom-web-');
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>cleanroom</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const server = await startServer({ dataDir: join(dir, 'data'), templatesDir: TEMPLATES, webDir: web, port: 0, out: { write: () => true } as never, logTo: { write: () => undefined } as never });
    try {
      const home = await fetch(`${server.url}/`);
      expect(await home.text()).toContain('<title>cleanroom</title>');
      expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toBe('console.log(1)');
      expect(await (await fetch(`${server.url}/collaborations/c_1`)).text()).toContain('<title>cleanroom</title>');
      expect(await (await fetch(`${server.url}/..%2fsecret.txt`)).text()).not.toContain('outside');
      const api = await fetch(`${server.url}/v1/nothing`, { headers: { authorization: `Bearer ${server.operatorKey}` } });
      expect(api.status).toBe(404);
      expect(api.headers.get('content-type')).toContain('application/json');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
