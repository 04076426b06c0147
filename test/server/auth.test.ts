import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/server/auth/api-key.js';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

describe('authentication and parties', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await serverHarness();
  });
  afterAll(async () => h.close());

  it('serves /healthz and /openapi.json without a key', async () => {
    expect(await (await h.call('GET', '/healthz')).json()).toEqual({ ok: true });
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/collaborations/{id}/datasets/{name}');
    expect(JSON.stringify(doc.paths['/v1/parties']!.post!.requestBody)).toContain('"name"');
  });

  it('answers every bad key with the same 401', async () => {
    const party = await h.party('Acme');
    const forged = `crk_${party.keyId}_${'A'.repeat(43)}`;
    const answers = [];
    for (const headers of [{} as Record<string, string>, { authorization: 'Basic abc' }, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${forged}` }]) {
      const res = await h.call('GET', '/v1/collaborations', { headers });
      answers.push([res.status, await errorOf(res)]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]![0]).toBe(401);
    const res = await h.call('GET', '/v1/collaborations');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((answers[0]![1] as { code: string }).code).toBe('unauthorized');
  });

  it('creates parties with a key shown once, stored only as a hash', async () => {
    const res = await h.call('POST', '/v1/parties', { key: h.operatorKey, json: { name: 'Retailer' } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; name: string; apiKey: string; keyId: string };
    expect(created.name).toBe('Retailer');
    expect(keyIdOf(created.apiKey)).toBe(created.keyId);
    const listed = JSON.stringify(await (await h.call('GET', '/v1/parties', { key: h.operatorKey })).json());
    expect(listed).toContain(created.keyId);
    expect(listed).not.toContain(created.apiKey);
    const { readFileSync } = await import('node:fs');
    const file = readFileSync(`${h.dataDir}/store/parties.json`, 'utf8');
    expect(file).not.toContain(created.apiKey.split('_').pop()!);
    expect(file).toContain(created.keyId);
  });

  it('lets only the operator create parties and manage keys', async () => {
    const p = await h.party('Publisher');
    for (const [method, path] of [
      ['POST', '/v1/parties'],
      ['POST', `/v1/parties/${p.id}/keys`],
      ['DELETE', `/v1/parties/${p.id}/keys/${p.keyId}`],
      ['GET', '/v1/metrics'],
    ] as const) {
      const res = await h.call(method, path, { key: p.apiKey, ...(method === 'POST' ? { json: { name: 'x' } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const listed = (await (await h.call('GET', '/v1/parties', { key: p.apiKey })).json()) as { parties: Record<string, unknown>[] };
    expect(Object.keys(listed.parties[0]!).sort()).toEqual(['id', 'name']);
  });

  it('refuses a revoked key and accepts a newly issued one', async () => {
    const p = await h.party('Bank');
    expect((await h.call('GET', '/v1/collaborations', { key: p.apiKey })).status).toBe(200);
    const revoked = await h.call('DELETE', `/v1/parties/${p.id}/keys/${p.keyId}`, { key: h.operatorKey });
    expect(revoked.status).toBe(200);
    expect((await h.call('GET', '/v1/collaborations', { key: p.apiKey })).status).toBe(401);
    const issued = (await (await h.call('POST', `/v1/parties/${p.id}/keys`, { key: h.operatorKey })).json()) as { apiKey: string };
    expect((await h.call('GET', '/v1/collaborations', { key: issued.apiKey })).status).toBe(200);
    expect((await h.call('DELETE', `/v1/parties/${p.id}/keys/k0000000000000000`, { key: h.operatorKey })).status).toBe(404);
    expect((await h.call('POST', '/v1/parties/p_missing/keys', { key: h.operatorKey })).status).toBe(404);
  });

  it('validates bodies: not JSON is 400, a schema problem 422, too large 413', async () => {
    const bad = await h.call('POST', '/v1/parties', { key: h.operatorKey, body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    const wrong = await h.call('POST', '/v1/parties', { key: h.operatorKey, json: { name: '', extra: 1 } });
    expect(wrong.status).toBe(422);
    expect((await errorOf(wrong)).details.problems).toHaveLength(2);
    const big = await h.call('POST', '/v1/parties', { key: h.operatorKey, json: { name: 'x'.repeat(2 << 20) } });
    expect(big.status).toBe(413);
  });

  it('keeps the operator out of collaborations', async () => {
    const res = await h.call('GET', '/v1/collaborations', { key: h.operatorKey });
    expect(res.status).toBe(403);
    expect((await h.call('POST', '/v1/collaborations/c_x/runs', { key: h.operatorKey, json: { analysis: 'overlap' } })).status).toBe(403);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const limited = await serverHarness({ limits: { rateBurst: 3, ratePerSecond: 0.01 } });
    try {
      const p = await limited.party('Busy');
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.call('GET', '/v1/templates', { key: p.apiKey })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const res = await limited.call('GET', '/v1/templates', { key: p.apiKey });
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });

  it('answers unknown routes with the error body', async () => {
    const res = await h.call('GET', '/v2/nothing');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });
});

describe('odd requests', () => {
  it('answers a body too large without a declared length, and bad percent-encoding, with error bodies', async () => {
    const h = await serverHarness({ limits: { jsonBytes: 1024 } });
    try {
      const p = await h.party('Odd');
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
          controller.close();
        },
      });
      const big = await h.call('POST', '/v1/collaborations', { key: p.apiKey, body: stream, headers: { 'content-type': 'application/json' } });
      expect(big.status).toBe(413);
      const bad = await h.call('GET', '/v1/collaborations/%E0%A4%A', { key: p.apiKey });
      expect(bad.status).toBeLessThan(500);
      expect(((await bad.json()) as { error: unknown }).error).toBeDefined();
    } finally {
      await h.close();
    }
  });
});
