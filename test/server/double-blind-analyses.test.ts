import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindReady, newBlindKey } from '../../src/core/identity/blind/index.js';
import type { BlindKey } from '../../src/core/identity/blind/index.js';
import { attributionFiles, generatePeople } from '../helpers/attribution-data.js';
import { blindPrepare, keyCheckHeader, syncOverHttp } from '../helpers/double-blind-flow.js';
import { serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } } };
type Run = { id: string; status: string; result: { tables: Record<string, unknown> } | null };

const CONTACT = { email: 'email', phone: 'phone' };
const IDS = { email: 'email', phone: 'phone', first_name: 'first_name', last_name: 'last_name', zip: 'zip' };

// Issue 13: "every analysis kind works on a double-blind collaboration exactly as on a hashed
// one". The same raw files go into two collaborations of one ready template, one hashed
// (SHA-256), one double-blind; every analysis releases the same tables, and an activation
// the same audience.
describe('every analysis kind on a double-blind collaboration equals the hashed one', () => {
  let h: ServerHarness;
  let keys: Record<string, BlindKey>;

  beforeAll(async () => {
    await blindReady();
    h = await serverHarness({ blindBatchSize: 200 });
  });
  afterAll(async () => h.close());

  const json = async <T>(res: Response, status: number): Promise<T> => {
    expect(res.status, await res.clone().text()).toBe(status);
    return (await res.json()) as T;
  };

  /** Both collaborations of `template`, loaded: `sides` maps role -> [dataset, raw file, map]. */
  async function pair(template: string, sides: Record<string, { dataset: string; raw: string; hashed: string; map?: Record<string, string> }>): Promise<{ hashed: string; blinded: string; parties: Record<string, Party> }> {
    const parties: Record<string, Party> = {};
    for (const role of Object.keys(sides)) parties[role] = await h.party(`${template}-${role}`);
    keys = Object.fromEntries(Object.keys(sides).map((role) => [role, newBlindKey()]));
    const members = Object.fromEntries(Object.entries(parties).map(([role, p]) => [role, p.id]));
    const [first] = Object.values(parties);
    const ids: string[] = [];
    for (const hashing of [undefined, 'double-blind']) {
      const c = await json<Collab>(await h.call('POST', '/v1/collaborations', { key: first!.apiKey, json: { name: template, template, members, ...(hashing === undefined ? {} : { hashing }) } }), 201);
      for (const p of Object.values(parties)) await json(await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } }), 201);
      for (const [role, side] of Object.entries(sides)) {
        const file = hashing === undefined ? side.hashed : await blindPrepare(side.raw, join(h.dir, `${template}-${role}.blinded.csv`), keys[role]!, side.map);
        const headers = { 'content-type': 'text/csv', ...(hashing === undefined ? {} : keyCheckHeader(keys[role]!)) };
        await json(await h.call('PUT', `/v1/collaborations/${c.id}/datasets/${side.dataset}`, { key: parties[role]!.apiKey, body: readFileSync(file), headers }), hashing === undefined ? 201 : 202);
      }
      if (hashing !== undefined) {
        for (const [role, p] of Object.entries(parties)) await syncOverHttp(h.call, `/v1/collaborations/${c.id}`, p.apiKey, keys[role]!);
      }
      ids.push(c.id);
    }
    return { hashed: ids[0]!, blinded: ids[1]!, parties };
  }

  /**
   * The same rows, but for those the noisy threshold decides afresh on each release: a row
   * of fewer than min + 3 scales (109) people may be shown by one run and held by the other.
   */
  function expectSameRelease(a: Run, b: Run, label: string): void {
    type Table = { rows: Record<string, unknown>[] };
    const tables = (r: Run) => (r.result?.tables ?? {}) as Record<string, Table>;
    expect(Object.keys(tables(b)).sort(), label).toEqual(Object.keys(tables(a)).sort());
    for (const [name, table] of Object.entries(tables(a))) {
      const other = tables(b)[name]!;
      // Sums of fractional credit may differ in the last bits: the join order follows the keys.
      const key = (row: Record<string, unknown>) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v));
      const inA = new Set(table.rows.map(key));
      const inB = new Set(other.rows.map(key));
      const onlyOne = [...table.rows.filter((r) => !inB.has(key(r))), ...other.rows.filter((r) => !inA.has(key(r)))];
      for (const row of onlyOne) expect(Number(row.people), `${label} ${name}: ${key(row)} only in one release`).toBeLessThan(109);
      expect(table.rows.length + other.rows.length - onlyOne.length, `${label} ${name}`).toBeGreaterThan(0);
    }
  }

  const run = async (p: Party, id: string, analysis: string, params: Record<string, unknown>): Promise<Run> =>
    json<Run>(await h.call('POST', `/v1/collaborations/${id}/runs`, { key: p.apiKey, json: { analysis, params } }), 201);

  it('attribution (each model) and reach', async () => {
    // Enough people that no campaign sits near the noisy threshold (min + 3 scales = 109) under any model:
    // there a release is a coin toss per collaboration, and the difference check then holds the next one.
    const people = generatePeople({ matched: 600, publisherOnly: 120, retailerOnly: 120 });
    const files = await attributionFiles(h.dir, people);
    const { hashed, blinded, parties } = await pair('offline-sales-attribution', {
      publisher: { dataset: 'exposures', raw: join(h.dir, 'exposures.raw.csv'), hashed: files.exposures, map: IDS },
      retailer: { dataset: 'transactions', raw: join(h.dir, 'transactions.raw.csv'), hashed: files.transactions, map: IDS },
    });
    for (const [analysis, params] of [
      ['attribution', { model: 'last_touch', lookback_days: 14 }],
      ['attribution', { model: 'first_touch', lookback_days: 30 }],
      ['attribution', { model: 'even_split', lookback_days: 30 }],
      ['reach', {}],
    ] as const) {
      const [a, b] = [await run(parties.publisher!, hashed, analysis, params), await run(parties.publisher!, blinded, analysis, params)];
      expectSameRelease(a, b, `${analysis} ${JSON.stringify(params)}`);
    }
  });

  it('activation: the same audience of the owner\'s own ids', async () => {
    const tiers = ['season_ticket', 'member', 'newsletter'];
    const fans = ['fan_tier,email,phone', ...Array.from({ length: 900 }, (_, i) => `${tiers[i % 3]},Fan.${i}@Example.com,`)];
    const riders = ['customer_id,email,phone', ...Array.from({ length: 800 }, (_, i) => `r${i},fan.${i + 300}@example.com,`)];
    writeFileSync(join(h.dir, 'fans.raw.csv'), `${fans.join('\n')}\n`);
    writeFileSync(join(h.dir, 'riders.raw.csv'), `${riders.join('\n')}\n`);
    const { prepareFile } = await import('../../src/node/prepare/prepare-file.js');
    for (const name of ['fans', 'riders']) await prepareFile({ input: join(h.dir, `${name}.raw.csv`), output: join(h.dir, `${name}.hashed.csv`), workers: 0, dedupe: false, map: CONTACT, autoDetect: false });
    const { hashed, blinded, parties } = await pair('audience-activation', {
      team: { dataset: 'fans', raw: join(h.dir, 'fans.raw.csv'), hashed: join(h.dir, 'fans.hashed.csv'), map: CONTACT },
      rideshare: { dataset: 'riders', raw: join(h.dir, 'riders.raw.csv'), hashed: join(h.dir, 'riders.hashed.csv'), map: CONTACT },
    });
    const audiences: string[] = [];
    for (const id of [hashed, blinded]) {
      const r = await run(parties.rideshare!, id, 'fan_riders', { fan_tiers: ['season_ticket', 'member'] });
      expect(r.status).toBe('released');
      const res = await h.call('GET', `/v1/collaborations/${id}/runs/${r.id}/audience.csv`, { key: parties.rideshare!.apiKey });
      expect(res.status).toBe(200);
      audiences.push((await res.text()).split('\n').sort().join('\n'));
    }
    expect(audiences[1]).toBe(audiences[0]);
    // Fans 300..899 ride; two tiers in three: 400 of them.
    expect(audiences[0]!.split('\n').filter((l) => /^r\d+$/.test(l))).toHaveLength(400);
  });
});
