import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } } };
type Run = { id: string; status: string; result: { tables: Record<string, { rows: Record<string, unknown>[] }>; audience?: { people: number } } | null };

const BANDS = ['1', '2', '3', '4', '5'];

// Issue 12, item 4, through the HTTP API: a brand's customers described by an identity
// partner's attributes (`audience-enrichment`), and the brand's own ids of one segment.
describe('enrichment by an identity partner, over HTTP', () => {
  let h: ServerHarness;
  let brand: Party;
  let partner: Party;
  let c: Collab;
  /** Matched customers per income band, and the customer ids of band 4, as generated. */
  const perBand = new Map<string, number>();
  const bandFour: string[] = [];

  beforeAll(async () => {
    h = await serverHarness();
    [brand, partner] = [await h.party('Brand'), await h.party('Partner')];
    const customers = ['customer_id,email,phone'];
    const graph = ['partner_person_id,email,phone,age_band,household_income_band,household_size'];
    for (let i = 0; i < 1500; i++) {
      const email = `fan.${i}@example.com`;
      // 1,200 of the brand's customers are in the graph (by email on one row, their phone on another).
      customers.push(`C${i},${i % 3 === 0 ? email.toUpperCase() : email},`);
      if (i >= 1200) continue;
      const band = BANDS[Math.floor(i / 240)]!;
      graph.push(`P${i},${email},,35-44,${band},2`, `P${i},,+1 212 ${300 + (i % 600)} ${String(1000 + Math.floor(i / 600)).padStart(4, '0')},35-44,${band},2`);
      perBand.set(band, (perBand.get(band) ?? 0) + 1);
      if (band === '4') bandFour.push(`C${i}`);
    }
    // Partner people the brand does not know.
    for (let i = 0; i < 400; i++) graph.push(`Q${i},other.${i}@example.com,,18-24,1,1`);
    const prepare = async (name: string, rows: string[]) => {
      const raw = join(h.dir, `${name}.csv`);
      writeFileSync(raw, `${rows.join('\n')}\n`);
      await prepareFile({ input: raw, output: `${raw}.prepared`, map: { email: 'email', phone: 'phone' }, autoDetect: false, workers: 0, dedupe: false });
      return readFileSync(`${raw}.prepared`);
    };
    const res = await h.call('POST', '/v1/collaborations', { key: brand.apiKey, json: { name: 'enrich', template: 'audience-enrichment', members: { brand: brand.id, identity_partner: partner.id } } });
    expect(res.status, await res.clone().text()).toBe(201);
    c = (await res.json()) as Collab;
    for (const p of [brand, partner]) await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } });
    for (const [p, dataset, rows] of [[brand, 'customers', customers], [partner, 'identity_graph', graph]] as const) {
      const up = await h.call('PUT', `/v1/collaborations/${c.id}/datasets/${dataset}`, { key: p.apiKey, body: await prepare(dataset, [...rows]), headers: { 'content-type': 'text/csv' } });
      expect(up.status, await up.clone().text()).toBeLessThan(300);
    }
  });
  afterAll(async () => h.close());

  const run = async (p: Party, analysis: string, params: Record<string, unknown>) => h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: p.apiKey, json: { analysis, params } });

  it("shows the brand's matched customers by the partner's income band, exactly as generated", async () => {
    const r = (await (await run(brand, 'enrich', { group_by: ['identity_graph.household_income_band'] })).json()) as Run;
    expect(r.status).toBe('released');
    const rows = r.result!.tables.enrich!.rows;
    expect(Object.fromEntries(rows.map((row) => [String(row['identity_graph.household_income_band']), Number(row.people)]))).toEqual(Object.fromEntries(perBand));
  });

  it("delivers to the brand only its own customer ids of an enriched segment", async () => {
    const r = (await (await run(brand, 'activate_segment', { income_bands: ['4'] })).json()) as Run;
    expect(r.status).toBe('released');
    const csv = await (await h.call('GET', `/v1/collaborations/${c.id}/runs/${r.id}/audience.csv`, { key: brand.apiKey })).text();
    const ids = csv.trim().split('\n').slice(1).map((line) => line.replace(/"/g, ''));
    expect(ids.sort()).toEqual([...bandFour].sort());
    // The partner can neither download it (a run it may not read does not exist for it) nor run anything.
    expect((await h.call('GET', `/v1/collaborations/${c.id}/runs/${r.id}/audience.csv`, { key: partner.apiKey })).status).toBe(404);
    expect((await run(partner, 'enrich', {})).status).toBe(403);
  });
});
