import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retailDpFiles } from '../helpers/dp-ledger-template.js';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };
type Amounts = { epsilon: number; delta: number; rho: number };
interface Budget {
  enabled: boolean;
  mechanism: string | null;
  budget: { epsilon: number; delta: number } | null;
  perParty: { epsilon: number; delta: number } | null;
  refreshDays: number | null;
  remaining: { collaboration: Amounts; party: Amounts } | null;
  periodEndsAt: number | null;
  analyses: Record<string, { cost: string; charged: Amounts; bounds: { maxGroupsPerPerson: number; maxRowsPerGroup: number; personTotals: Record<string, [number, number]> } }>;
}
interface RunBody {
  id: string;
  status: string;
  cachedFrom?: string;
  result: { tables: Record<string, unknown>; privacy?: { cost: string; charged: Amounts; remaining: { collaboration: Amounts; party: Amounts } } } | null;
}

/** A DP collaboration (the ready template retail-media-insights-dp) with both datasets uploaded. */
async function dpCollaboration(h: ServerHarness, retailer: Party, publisher: Party): Promise<string> {
  const res = await h.call('POST', '/v1/collaborations', { key: retailer.apiKey, json: { name: 'dp', template: 'retail-media-insights-dp', members: { retailer: retailer.id, publisher: publisher.id } } });
  expect(res.status, await res.clone().text()).toBe(201);
  const c = (await res.json()) as { id: string; templateDigest: string; template: { terms: { version: string } } };
  for (const p of [retailer, publisher]) {
    expect((await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } })).status).toBe(201);
  }
  const files = retailDpFiles(h.dir);
  const put = (p: Party, dataset: string, path: string) => h.call('PUT', `/v1/collaborations/${c.id}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(path), headers: { 'content-type': 'text/csv' } });
  expect((await put(publisher, 'readers', files.readers)).status).toBe(201);
  expect((await put(retailer, 'purchases', files.purchases)).status).toBe(201);
  return c.id;
}

describe('the privacy budget over HTTP', () => {
  let h: ServerHarness;
  let retailer: Party;
  let publisher: Party;
  let stranger: Party;
  let cid: string;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    h = await serverHarness({ masterKey, limits: { runsQueued: 64 } });
    retailer = await h.party('Retailer');
    publisher = await h.party('Publisher');
    stranger = await h.party('Stranger');
    cid = await dpCollaboration(h, retailer, publisher);
  });
  afterAll(async () => h.close());

  it('GET /budget shows the policy, what remains and each analysis cost, to members only', async () => {
    const res = await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: publisher.apiKey });
    expect(res.status).toBe(200);
    const budget = (await res.json()) as Budget;
    expect(budget).toMatchObject({ enabled: true, mechanism: 'laplace', budget: { epsilon: 10, delta: 1e-5 }, perParty: { epsilon: 6, delta: 1e-5 }, refreshDays: 30 });
    expect(budget.remaining!.party.epsilon).toBeCloseTo(6, 9);
    expect(budget.remaining!.collaboration.epsilon).toBeCloseTo(10, 9);
    expect(budget.periodEndsAt).toBeGreaterThan(Date.now());
    expect(Object.keys(budget.analyses).sort()).toEqual(['category_spend_for_age', 'custom_sql', 'overlap', 'spend_by_segment']);
    expect(budget.analyses.spend_by_segment).toEqual({
      cost: 'ε=0.5',
      charged: { epsilon: 0.5, delta: 0, rho: 0 },
      bounds: { maxGroupsPerPerson: 3, maxRowsPerGroup: 10, personTotals: { 'purchases.amount': [0, 1500] } },
    });
    expect(budget.analyses.overlap!.bounds).toEqual({ maxGroupsPerPerson: 1, maxRowsPerGroup: 1, personTotals: {} });
    expect(Object.keys(budget).sort()).toEqual(['analyses', 'budget', 'enabled', 'mechanism', 'perParty', 'periodEndsAt', 'refreshDays', 'remaining']);
    expect((await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: stranger.apiKey })).status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: h.operatorKey })).status).toBe(403);
  });

  it('previews, runs (charged), reruns (cached, free) and previews again (cached)', async () => {
    const params = { group_by: ['readers.age_band'] };
    const preview = async () => {
      const res = await h.call('POST', `/v1/collaborations/${cid}/runs/preview`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params } });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown> & { remaining: { party: Amounts } };
    };
    const before = await preview();
    expect(before).toMatchObject({ analysis: 'spend_by_segment', dp: true, cached: false, cachedFrom: null, cost: 'ε=0.5', charged: { epsilon: 0.5, delta: 0, rho: 0 }, allowed: true, reason: null });
    expect(before.remaining.party.epsilon).toBeCloseTo(5.5, 9);
    const first = (await (await h.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params } })).json()) as RunBody;
    expect(first.result!.privacy).toMatchObject({ cost: 'ε=0.5', charged: { epsilon: 0.5, delta: 0, rho: 0 } });
    const again = (await (await h.call('POST', `/v1/collaborations/${cid}/runs`, { key: publisher.apiKey, json: { analysis: 'spend_by_segment', params } })).json()) as RunBody;
    expect(again.cachedFrom).toBe(first.id);
    expect(again.result!.tables).toEqual(first.result!.tables);
    expect(again.result!.privacy!.charged).toEqual({ epsilon: 0, delta: 0, rho: 0 });
    expect(await preview()).toMatchObject({ cached: true, cachedFrom: first.id, charged: { epsilon: 0, delta: 0, rho: 0 }, allowed: true });
    const listed = (await (await h.call('GET', `/v1/collaborations/${cid}/runs`, { key: publisher.apiKey })).json()) as { runs: { id: string; cachedFrom?: string }[] };
    expect(listed.runs.find((r) => r.id === again.id)?.cachedFrom).toBe(first.id);
  });

  it('refuses preview bodies and runs the template does not allow, as runs do', async () => {
    const bad = await h.call('POST', `/v1/collaborations/${cid}/runs/preview`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params: { group_by: ['purchases.customer_id'] } } });
    expect(bad.status).toBe(422);
    expect((await h.call('POST', `/v1/collaborations/${cid}/runs/preview`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', extra: 1 } })).status).toBe(422);
    expect((await h.call('POST', `/v1/collaborations/${cid}/runs/preview`, { key: stranger.apiKey, json: { analysis: 'overlap', params: {} } })).status).toBe(404);
    expect((await h.call('POST', `/v1/collaborations/${cid}/runs/preview`, { key: publisher.apiKey, json: { analysis: 'custom_sql', params: { sql: 'SELECT 1' } } })).status).toBe(403);
  });

  it('reuses a custom SQL release only for the same SQL text: the same query written differently is charged', async () => {
    const sql = 'SELECT r.segment, count(*) AS purchases FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.segment';
    const run = async (text: string) => {
      const res = await h.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'custom_sql', params: { sql: text } } });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as RunBody;
    };
    const first = await run(sql);
    expect(first.result!.privacy!.charged.epsilon).toBe(1);
    const same = await run(sql);
    expect(same.cachedFrom).toBe(first.id);
    expect(same.result!.privacy!.charged.epsilon).toBe(0);
    const rewritten = await run(sql.replace('count(*) AS purchases', 'count(*)  AS purchases'));
    expect(rewritten.cachedFrom).toBeUndefined();
    expect(rewritten.result!.privacy!.charged.epsilon).toBe(1);
    // A query the rules refuse is refused while it runs: audited, and charged nothing.
    const left = ((await (await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: retailer.apiKey })).json()) as Budget).remaining!.party.epsilon;
    const refused = await h.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'custom_sql', params: { sql: 'SELECT r.email, count(*) AS n FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.email' } } });
    expect(refused.status).toBe(403);
    const message = (await errorOf(refused)).message;
    expect(((await (await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: retailer.apiKey })).json()) as Budget).remaining!.party.epsilon).toBe(left);
    const events = (await (await h.call('GET', `/v1/collaborations/${cid}/audit`, { key: publisher.apiKey })).json()) as { events: { action: string; decision?: string; reason?: string; params: Record<string, unknown> }[] };
    expect(events.events.at(-1)).toMatchObject({ action: 'run', decision: 'refused', reason: message, params: { analysis: 'custom_sql', privacyCharged: { epsilon: 0, delta: 0, rho: 0 } } });
  });

  it('cannot overspend under 16 concurrent runs of one party: the rest are refused with 403 naming what remains', async () => {
    const spent = ((await (await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: retailer.apiKey })).json()) as Budget).remaining!.party.epsilon;
    const affordable = Math.floor(spent / 0.5 + 1e-9);
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        h.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params: { from: `2024-01-${String(i + 1).padStart(2, '0')}` } } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(affordable);
    expect(statuses.filter((s) => s === 403)).toHaveLength(16 - affordable);
    const refused = await errorOf(responses.find((r) => r.status === 403)!);
    expect(refused.code).toBe('refused');
    expect(refused.message).toMatch(/it costs ε=0\.5, and ε=[0-9.]+, δ=.* remains of the party's budget this period/);
    const after = (await (await h.call('GET', `/v1/collaborations/${cid}/budget`, { key: retailer.apiKey })).json()) as Budget;
    expect(after.remaining!.party.epsilon).toBeGreaterThanOrEqual(0);
    expect(after.remaining!.party.epsilon).toBeLessThan(0.5);
    const events = (await (await h.call('GET', `/v1/collaborations/${cid}/audit`, { key: publisher.apiKey })).json()) as { events: { action: string; decision?: string; params: Record<string, unknown> }[] };
    const charged = events.events.filter((e) => e.action === 'run' && (e.params.privacyCharged as Amounts | undefined)?.epsilon === 0.5);
    expect(charged.length).toBe(affordable + 1);
  });

  it('documents both routes in /openapi.json with their answer schemas', async () => {
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>> };
    expect(Object.keys(doc.paths['/v1/collaborations/{id}/budget']!.get!.responses['200']!.content['application/json']!.schema.properties!)).toContain('remaining');
    expect(Object.keys(doc.paths['/v1/collaborations/{id}/runs/preview']!.post!.responses['200']!.content['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['analysis', 'dp', 'cached', 'cachedFrom', 'cost', 'charged', 'allowed', 'reason', 'remaining', 'periodEndsAt']),
    );
  });
  it('keeps the budget and the cache across a server restart (ledger files under the data dir)', async () => {
    await h.close(); // one engine per room: the old server lets go of it first
    const restarted = await serverHarness({ dataDir: h.dataDir, operatorKey: h.operatorKey, masterKey });
    h = restarted;
    const budget = (await (await restarted.call('GET', `/v1/collaborations/${cid}/budget`, { key: retailer.apiKey })).json()) as Budget;
    expect(budget.remaining!.party.epsilon).toBeLessThan(0.5);
    const res = await restarted.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params: { from: '2023-06-01' } } });
    const refused = await errorOf(res);
    expect(res.status, refused.message).toBe(403);
    expect(refused.code).toBe('refused');
    const cached = await restarted.call('POST', `/v1/collaborations/${cid}/runs`, { key: retailer.apiKey, json: { analysis: 'spend_by_segment', params: { group_by: ['readers.age_band'] } } });
    expect(cached.status).toBe(201);
    expect(((await cached.json()) as RunBody).cachedFrom).toBeDefined();
  });
});
