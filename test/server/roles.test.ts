import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string; keyId: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } } };

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('roles through the API: activation audiences and reviewed releases', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await serverHarness();
  });
  afterAll(async () => h.close());

  async function collaboration(creator: Party, template: string, members: Record<string, Party>): Promise<Collab> {
    const res = await h.call('POST', '/v1/collaborations', { key: creator.apiKey, json: { name: template, template, members: Object.fromEntries(Object.entries(members).map(([r, p]) => [r, p.id])) } });
    const c = (await res.json()) as Collab;
    for (const p of Object.values(members)) {
      await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } });
    }
    return c;
  }
  const put = (p: Party, c: Collab, dataset: string, lines: string[]) => h.call('PUT', `/v1/collaborations/${c.id}/datasets/${dataset}`, { key: p.apiKey, body: `${lines.join('\n')}\n` });

  it('gives the activation audience to its owner only, spreadsheet-safe, with raw identifiers hashed in the room and never logged', async () => {
    const team = await h.party('Team');
    const rideshare = await h.party('Rideshare');
    const c = await collaboration(rideshare, 'audience-activation', { team, rideshare });
    const fans = ['email,phone,fan_tier'];
    const riders = ['customer_id,email,phone'];
    for (let i = 0; i < 300; i++) {
      fans.push(`Fan${i}@Mail.com,,season_ticket`);
      riders.push(`${['=', '+', '-', '@'][i % 4]}RIDER${i},fan${i}@mail.com,`);
    }
    expect((await put(team, c, 'fans', fans)).status).toBe(201);
    expect((await put(rideshare, c, 'riders', riders)).status).toBe(201);
    expect((await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: team.apiKey, json: { analysis: 'fan_riders', params: {} } })).status).toBe(403);
    const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: rideshare.apiKey, json: { analysis: 'fan_riders', params: {} } });
    const run = (await res.json()) as { id: string; status: string };
    expect(run.status).toBe('released');
    const audience = await h.call('GET', `/v1/collaborations/${c.id}/runs/${run.id}/audience.csv`, { key: rideshare.apiKey });
    expect(audience.status).toBe(200);
    expect(audience.headers.get('content-type')).toContain('text/csv');
    const keys = (await audience.text()).trim().split('\n');
    expect(keys[0]).toBe('person_key');
    expect(keys).toHaveLength(301);
    for (const key of keys.slice(1)) expect(key).toMatch(/^'[=+\-@]RIDER\d+$/);
    // The team is a member but does not receive fan_riders: the run does not exist for it.
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs/${run.id}`, { key: team.apiKey })).status).toBe(404);
    expect(await (await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: team.apiKey })).json()).toEqual({ runs: [] });
    const listed = (await (await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: rideshare.apiKey })).json()) as { runs: Record<string, unknown>[] };
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
    expect(listed.runs[0]).not.toHaveProperty('result');
    const refused = await h.call('GET', `/v1/collaborations/${c.id}/runs/${run.id}/audience.csv`, { key: team.apiKey });
    expect(refused.status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs/${run.id}/audience.csv`, { key: h.operatorKey })).status).toBe(403);
    const log = h.logs.join('');
    expect(log).not.toMatch(/@|RIDER|[0-9a-f]{64}/i);
  });

  it('holds a reviewed run until the reviewer approves; only the reviewer may', async () => {
    const brand = await h.party('Brand');
    const bank = await h.party('Bank');
    const c = await collaboration(brand, 'segment-sizing-bank', { brand, bank });
    const members = ['email,phone,first_name,last_name,zip,tier'];
    const holdings = ['customer_id,product,email,phone,first_name,last_name,zip'];
    for (let i = 0; i < 2400; i++) {
      members.push(`${sha(`m${i}@x.com`)},,,,,${i % 4 === 0 ? 'premium' : 'gold'}`);
      if (i % 2 === 0) holdings.push(`B${i},premium_card,${sha(`m${i}@x.com`)},,,,`);
    }
    expect((await put(brand, c, 'loyalty_members', members)).status).toBe(201);
    expect((await put(bank, c, 'product_holdings', holdings)).status).toBe(201);
    const run = (await (await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: brand.apiKey, json: { analysis: 'segment_size', params: { product: 'premium_card' } } })).json()) as { id: string; status: string; result: unknown };
    expect(run).toMatchObject({ status: 'pending', result: null });
    const review = (p: Party, decision: string) => h.call('POST', `/v1/collaborations/${c.id}/runs/${run.id}/review`, { key: p.apiKey, json: { decision } });
    expect((await review(brand, 'approved')).status).toBe(403);
    expect((await review(bank, 'maybe')).status).toBe(422);
    expect((await review(bank, 'approved')).status).toBe(200);
    expect((await review(bank, 'approved')).status).toBe(409);
    const released = (await (await h.call('GET', `/v1/collaborations/${c.id}/runs/${run.id}`, { key: brand.apiKey })).json()) as { status: string; result: { tables: Record<string, { rows: unknown[] }> } };
    expect(released.status).toBe('released');
    expect(released.result.tables.segment_size!.rows).toEqual([{ people: 500 }]);
  });

  it('bounds concurrent runs per collaboration: the rest queue, past the queue 429', async () => {
    const { RunLimiter } = await import('../../src/server/http/run-limiter.js');
    const limiter = new RunLimiter({ concurrent: 1, queued: 1 });
    let release!: () => void;
    const first = limiter.run('c', () => new Promise<string>((r) => (release = () => r('first'))));
    const second = limiter.run('c', async () => 'second');
    const third = await limiter.run('c', async () => 'third').catch((e: { code: string }) => e.code);
    expect(third).toBe('rate_limited');
    expect(await limiter.run('other', async () => 'independent')).toBe('independent');
    release();
    expect([await first, await second]).toEqual(['first', 'second']);
    expect(await limiter.run('c', async () => 'after')).toBe('after');
  });

  it('answers an error body on every failure', async () => {
    const res = await h.call('GET', '/v1/collaborations/c_none/runs/run_none', { key: (await h.party('Lone')).apiKey });
    expect(res.status).toBe(404);
    expect(Object.keys(await errorOf(res)).sort()).toEqual(['code', 'details', 'message']);
  });
});
