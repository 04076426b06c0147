import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPartyFiles } from '../helpers/two-party-data.js';
import { serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

describe('concurrent requests on one collaboration', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await serverHarness();
  });
  afterAll(async () => h.close());

  it('keeps both datasets when both parties upload at once, and runs alongside each other', async () => {
    const a = await h.party('A');
    const b = await h.party('B');
    const c = (await (await h.call('POST', '/v1/collaborations', { key: a.apiKey, json: { name: 'race', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } } })).json()) as { id: string; templateDigest: string };
    await Promise.all([a, b].map((p) => h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: '1', templateDigest: c.templateDigest } })));
    const after = (await (await h.call('GET', `/v1/collaborations/${c.id}`, { key: a.apiKey })).json()) as { attestations: unknown[]; datasets: Record<string, unknown> };
    expect(after.attestations).toHaveLength(2);
    const files = await twoPartyFiles(h.dir, { aOnly: 200, bOnly: 200, byEmail: 150, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) });
    const uploads = await Promise.all([
      h.call('PUT', `/v1/collaborations/${c.id}/datasets/policyholders`, { key: a.apiKey, body: readFileSync(files.a) }),
      h.call('PUT', `/v1/collaborations/${c.id}/datasets/partner_customers`, { key: b.apiKey, body: readFileSync(files.b) }),
    ]);
    expect(uploads.map((r) => r.status)).toEqual([201, 201]);
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: (i % 2 === 0 ? a : b).apiKey, json: { analysis: 'overlap' } })));
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill(201));
    const stored = (await (await h.call('GET', `/v1/collaborations/${c.id}`, { key: a.apiKey })).json()) as { datasets: Record<string, unknown>; attestations: unknown[] };
    expect(Object.keys(stored.datasets).sort()).toEqual(['partner_customers', 'policyholders']);
    expect(stored.attestations).toHaveLength(2);
  });
});
