import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threePartyFiles } from '../helpers/three-party-data.js';
import type { ThreePartyTruth } from '../helpers/three-party-data.js';
import { serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } } };
type Run = { status: string; reason: string | null; result: { tables: Record<string, { rows: Record<string, unknown>[] }> } | null };

// Issue 12, items 2–3, through the HTTP API: a publisher, a retailer and an identity partner
// in `identity-partner-attribution`; the generator knows which pairs share an email and which
// are linked only by the partner's graph.
describe('an identity partner bridges matches through its graph, over HTTP', () => {
  let h: ServerHarness;
  let publisher: Party;
  let retailer: Party;
  let partner: Party;
  let c: Collab;
  let truth: ThreePartyTruth;
  let graphFile: string;
  const shape = { direct: 300, bridged: 150, byAddress: 40, ambiguous: 120, superNode: 120, publisherOnly: 40, retailerOnly: 50 };

  beforeAll(async () => {
    h = await serverHarness();
    [publisher, retailer, partner] = [await h.party('Publisher'), await h.party('Retailer'), await h.party('Partner')];
    const generated = await threePartyFiles(h.dir, shape);
    truth = generated.truth;
    const res = await h.call('POST', '/v1/collaborations', {
      key: publisher.apiKey,
      json: { name: 'bridged', template: 'identity-partner-attribution', members: { publisher: publisher.id, retailer: retailer.id, identity_partner: partner.id } },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    c = (await res.json()) as Collab;
    for (const p of [publisher, retailer, partner]) {
      const a = await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } });
      expect(a.status).toBeLessThan(300);
    }
    for (const [p, dataset, path] of [[publisher, 'exposures', generated.files.exposures], [retailer, 'transactions', generated.files.transactions]] as const) {
      const up = await h.call('PUT', `/v1/collaborations/${c.id}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(path), headers: { 'content-type': 'text/csv' } });
      expect(up.status, await up.clone().text()).toBeLessThan(300);
    }
    graphFile = generated.files.graph;
  });
  afterAll(async () => h.close());

  const run = async (p: Party, analysis: string, params: Record<string, unknown> = {}): Promise<Run> => {
    const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: p.apiKey, json: { analysis, params } });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Run;
  };
  const byKey = (r: Run) => Object.fromEntries(r.result!.tables.byKey!.rows.map((row) => [String(row.key), Number(row.people)]));
  const byCampaign = (r: Run) => Object.fromEntries(r.result!.tables.attribution!.rows.map((row) => [String(row.campaign), { converters: Number(row.converters), revenue: Number(row.revenue) }]));

  it('matches directly only until the graph is uploaded; then the overlap shows the pairs only the graph found', async () => {
    const before = await run(retailer, 'reach');
    expect(byKey(before)).toEqual({ email: shape.direct });
    const up = await h.call('PUT', `/v1/collaborations/${c.id}/datasets/identity_graph`, { key: partner.apiKey, body: readFileSync(graphFile), headers: { 'content-type': 'text/csv' } });
    expect(up.status, await up.clone().text()).toBeLessThan(300);
    const after = await run(retailer, 'reach');
    // The same question, over a graph that changed the match: answered afresh, not from the cache.
    expect(byKey(after)).toEqual({ email: shape.direct, graph: shape.bridged + shape.byAddress });
    expect(Number(after.result!.tables.overall!.rows[0]!.people)).toBe(shape.direct + shape.bridged + shape.byAddress);
    expect(Number(after.result!.tables.overall!.rows[0]!.share_of_transactions)).toBeCloseTo((shape.direct + shape.bridged + shape.byAddress) / truth.retailerPeople, 12);
    // The publisher sees the same numbers.
    expect(byKey(await run(publisher, 'reach'))).toEqual(byKey(after));
  });

  it('attributes through the graph exactly what the generator made: no ambiguous record and no super node is bridged', async () => {
    const r = await run(publisher, 'attribution', { model: 'last_touch', lookback_days: 30 });
    expect(r.status).toBe('released');
    const got = byCampaign(r);
    expect(Object.keys(got).sort()).toEqual(['c1', 'c2']);
    for (const campaign of ['c1', 'c2']) {
      expect(got[campaign]!.converters).toBe(truth.attribution[campaign]!.converters);
      expect(got[campaign]!.revenue).toBeCloseTo(truth.attribution[campaign]!.revenue, 2);
    }
  });

  it('gives the identity partner usage counts of its graph, and each member only its own unbridged count; no view shows a match count', async () => {
    const identity = async (p: Party) => {
      const res = await h.call('GET', `/v1/collaborations/${c.id}/identity`, { key: p.apiKey });
      expect(res.status).toBe(200);
      return (await res.json()) as { graph: { runs: number; byAnalysis: Record<string, number>; superNodes: number; people: number } | null; bridged: { yours: string; ambiguous: number | null }[] };
    };
    const forPartner = await identity(partner);
    // Since the graph's upload: reach twice and attribution once, all released.
    expect(forPartner.graph).toMatchObject({ runs: 3, byAnalysis: { reach: 2, attribution: 1 }, superNodes: 1 });
    expect(forPartner.graph!.people).toBeGreaterThan(shape.direct);
    expect(forPartner.bridged).toEqual([]);
    const forRetailer = await identity(retailer);
    expect(forRetailer.graph).toBeNull();
    expect(forRetailer.bridged).toEqual([{ datasets: expect.any(Array), yours: 'transactions', ambiguous: shape.ambiguous }]);
    // The publisher's records are not ambiguous: 0, shown as below the minimum.
    expect((await identity(publisher)).bridged).toMatchObject([{ yours: 'exposures', ambiguous: null }]);
    for (const p of [publisher, retailer, partner]) {
      const text = await (await h.call('GET', `/v1/collaborations/${c.id}`, { key: p.apiKey })).text();
      expect(text).not.toContain('matchReports');
      expect(text).not.toContain('"matched"');
    }
  });

  it('gives the identity partner no result: it can run no analysis and receives no run', async () => {
    for (const analysis of ['reach', 'attribution']) {
      const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: partner.apiKey, json: { analysis, params: {} } });
      expect(res.status).toBe(403);
    }
    const runs = (await (await h.call('GET', `/v1/collaborations/${c.id}/runs`, { key: partner.apiKey })).json()) as { runs: unknown[] };
    expect(runs.runs).toEqual([]);
  });
});
