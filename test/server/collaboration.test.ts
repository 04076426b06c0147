import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPartyFiles } from '../helpers/two-party-data.js';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string; keyId: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } }; roles: string[] };

describe('a collaboration through the API: overlap between an insurer and a partner', () => {
  let h: ServerHarness;
  let insurer: Party;
  let partner: Party;
  let stranger: Party;
  let c: Collab;
  let other: Collab;
  let files: Awaited<ReturnType<typeof twoPartyFiles>>;
  let runId: string;

  beforeAll(async () => {
    h = await serverHarness();
    insurer = await h.party('Insurer');
    partner = await h.party('Partner');
    stranger = await h.party('Stranger');
    files = await twoPartyFiles(h.dir, { aOnly: 300, bOnly: 200, byEmail: 250, byPhone: 120, byNameZip: 30 }, {
      aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }),
      bColumns: () => ({ plan: 'basic' }),
    });
  });
  afterAll(async () => h.close());

  const attest = (p: Party, x: Collab, digest = x.templateDigest) => h.call('POST', `/v1/collaborations/${x.id}/attestations`, { key: p.apiKey, json: { termsVersion: x.template.terms.version, templateDigest: digest } });
  const upload = (p: Party, id: string, dataset: string, path: string) => h.call('PUT', `/v1/collaborations/${id}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(path), headers: { 'content-type': 'text/csv' } });

  it('lists the ready templates with the parameter schema of each analysis', async () => {
    const list = (await (await h.call('GET', '/v1/templates', { key: insurer.apiKey })).json()) as { templates: { name: string; digest: string }[] };
    expect(list.templates.map((t) => t.name)).toContain('audience-overlap');
    const one = (await (await h.call('GET', '/v1/templates/audience-overlap', { key: insurer.apiKey })).json()) as { paramsJsonSchema: Record<string, { properties: Record<string, unknown> }> };
    expect(Object.keys(one.paramsJsonSchema.overlap!.properties)).toEqual(['group_by']);
    expect((await h.call('GET', '/v1/templates/nope', { key: insurer.apiKey })).status).toBe(404);
  });

  it('creates a collaboration from a ready template, only with known parties and the creator among them', async () => {
    const bad = await h.call('POST', '/v1/collaborations', { key: insurer.apiKey, json: { name: 'x', template: 'audience-overlap', members: { insurer: insurer.id, partner: 'p_ghost' } } });
    expect(bad.status).toBe(422);
    const notMember = await h.call('POST', '/v1/collaborations', { key: stranger.apiKey, json: { name: 'x', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id } } });
    expect(notMember.status).toBe(403);
    expect((await h.call('POST', '/v1/collaborations', { key: insurer.apiKey, json: { name: 'x', template: 'nope', members: {} } })).status).toBe(422);
    const res = await h.call('POST', '/v1/collaborations', { key: insurer.apiKey, json: { name: 'insurer x partner', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id } } });
    expect(res.status).toBe(201);
    c = (await res.json()) as Collab;
    expect(c.roles).toEqual(['insurer']);
    other = (await (await h.call('POST', '/v1/collaborations', { key: stranger.apiKey, json: { name: 'other', template: 'audience-overlap', members: { insurer: stranger.id, partner: partner.id } } })).json()) as Collab;
  });

  it('shows a collaboration to its members only; to others exactly like a missing one', async () => {
    expect((await h.call('GET', `/v1/collaborations/${c.id}`, { key: partner.apiKey })).status).toBe(200);
    const theirs = await h.call('GET', `/v1/collaborations/${c.id}`, { key: stranger.apiKey });
    const missing = await h.call('GET', '/v1/collaborations/c_missing', { key: stranger.apiKey });
    expect(theirs.status).toBe(404);
    expect((await errorOf(theirs)).message.replace(c.id, 'X')).toBe((await errorOf(missing)).message.replace('c_missing', 'X'));
    const mine = (await (await h.call('GET', '/v1/collaborations', { key: stranger.apiKey })).json()) as { collaborations: { id: string }[] };
    expect(mine.collaborations.map((x) => x.id)).toEqual([other.id]);
  });

  it('serves the CSV template of a dataset to members', async () => {
    const res = await h.call('GET', `/v1/collaborations/${c.id}/datasets/policyholders/template.csv`, { key: partner.apiKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect((await res.text()).split('\n')[0]).toBe('policy_type,email,phone,first_name,last_name,zip');
    expect((await h.call('GET', `/v1/collaborations/${c.id}/datasets/nope/template.csv`, { key: partner.apiKey })).status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/datasets/policyholders/template.csv`, { key: stranger.apiKey })).status).toBe(404);
  });

  it('refuses an upload before attesting, and an attestation to another digest', async () => {
    const early = await upload(insurer, c.id, 'policyholders', files.a);
    expect(early.status).toBe(409);
    expect((await errorOf(early)).message).toContain('attest');
    expect((await attest(insurer, c, `sha256:${'0'.repeat(64)}`)).status).toBe(409);
    expect((await attest(insurer, c)).status).toBe(201);
    expect((await attest(stranger, c)).status).toBe(404);
  });

  it('takes uploads from the owning role only, and nothing from strangers', async () => {
    const res = await upload(insurer, c.id, 'policyholders', files.a);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { dataset: string; version: number; report: { rowsStored: number } };
    expect(body).toMatchObject({ dataset: 'policyholders', version: 1 });
    expect(body.report.rowsStored).toBe(files.truth.aPeople);
    expect((await upload(insurer, c.id, 'partner_customers', files.b)).status).toBe(403);
    expect((await upload(stranger, c.id, 'policyholders', files.a)).status).toBe(404);
    await attest(partner, c);
    expect((await upload(partner, c.id, 'partner_customers', files.b)).status).toBe(201);
  });

  it('runs an overlap for a runner, shows it to receivers, and hides it elsewhere', async () => {
    const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: insurer.apiKey, json: { analysis: 'overlap', params: {} } });
    expect(res.status).toBe(201);
    const run = (await res.json()) as { id: string; status: string; result: { tables: { overall: { rows: { people: number }[] } } } };
    runId = run.id;
    expect(run.status).toBe('released');
    expect(run.result.tables.overall.rows[0]!.people).toBe(files.truth.matched);
    const read = await h.call('GET', `/v1/collaborations/${c.id}/runs/${runId}`, { key: partner.apiKey });
    expect(((await read.json()) as { result: unknown }).result).toEqual(run.result);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs/${runId}`, { key: stranger.apiKey })).status).toBe(404);
    // Another collaboration's id with this run id: the run is not there.
    expect((await h.call('GET', `/v1/collaborations/${other.id}/runs/${runId}`, { key: partner.apiKey })).status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs/${runId}/audience.csv`, { key: insurer.apiKey })).status).toBe(404);
  });

  it('refuses parameters outside the template with 422 and unknown analyses', async () => {
    const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: insurer.apiKey, json: { analysis: 'overlap', params: { group_by: ['partner_customers.email'] } } });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).details.problems).toBeDefined();
    expect((await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: insurer.apiKey, json: { analysis: 'dump_rows' } })).status).toBeGreaterThanOrEqual(400);
    expect((await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: insurer.apiKey, json: { analysis: 'overlap', sql: 'select *' } })).status).toBe(422);
  });

  it('keeps an audit log its members can read and verify', async () => {
    const events = (await (await h.call('GET', `/v1/collaborations/${c.id}/audit`, { key: partner.apiKey })).json()) as { events: { action: string; decision?: string }[] };
    const actions = events.events.map((e) => `${e.action}:${e.decision ?? ''}`);
    expect(actions).toEqual(expect.arrayContaining(['create_collaboration:accepted', 'upload:refused', 'attest:refused', 'upload:accepted', 'run:released']));
    const verify = (await (await h.call('GET', `/v1/collaborations/${c.id}/audit/verify`, { key: insurer.apiKey })).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/audit`, { key: stranger.apiKey })).status).toBe(404);
    expect((await h.call('GET', `/v1/collaborations/${c.id}/audit/verify`, { key: h.operatorKey })).status).toBe(403);
  });

  it('gives the operator counts and rates, never rows', async () => {
    const res = await h.call('GET', '/v1/metrics', { key: h.operatorKey });
    expect(res.status).toBe(200);
    const m = (await res.json()) as { collaborations: number; runs: number; refusals: number; averageMatchRate: number | null; byCollaboration: { id: string; runs: { total: number } }[] };
    expect(m.collaborations).toBe(2);
    expect(m.runs).toBeGreaterThanOrEqual(1);
    expect(m.refusals).toBeGreaterThanOrEqual(2);
    expect(m.averageMatchRate).toBeGreaterThan(0);
    expect(JSON.stringify(m)).not.toMatch(/[0-9a-f]{64}|@/);
    for (const path of [`/v1/collaborations/${c.id}`, `/v1/collaborations/${c.id}/runs/${runId}`, `/v1/collaborations/${c.id}/audit`]) {
      expect((await h.call('GET', path, { key: h.operatorKey })).status).toBe(403);
    }
  });

  it('refuses to serve a collaboration whose stored template was loosened after attestation', async () => {
    const stored = (await (await h.call('GET', `/v1/collaborations/${other.id}`, { key: stranger.apiKey })).json()) as Collab & { template: { privacy: { minPeople: number } } };
    stored.template.privacy.minPeople = 1;
    const { roles: _roles, ...loosened } = stored;
    await h.store.putCollaboration(loosened as never);
    const res = await h.call('GET', `/v1/collaborations/${other.id}`, { key: stranger.apiKey });
    expect(res.status).toBe(500);
    expect(await errorOf(res)).toEqual({ code: 'internal', message: 'Cannot complete the request: an internal error occurred', details: {} });
    expect((await h.call('POST', `/v1/collaborations/${other.id}/runs`, { key: stranger.apiKey, json: { analysis: 'overlap' } })).status).toBe(500);
  });

  it('logs key ids, never keys or identifiers', () => {
    const log = h.logs.join('');
    expect(log).toContain(insurer.keyId);
    for (const p of [insurer, partner, stranger]) expect(log).not.toContain(p.apiKey.split('_').slice(2).join('_'));
    expect(log).not.toContain(h.operatorKey);
    expect(log).not.toMatch(/[0-9a-f]{64}|@/);
    const hashes = readFileSync(files.a, 'utf8').split('\n')[1]!.split(',').filter((v) => v.length >= 32);
    for (const hash of hashes) expect(log).not.toContain(hash);
  });
});
