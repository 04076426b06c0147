import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

// The attacks of issue 14 on a thresholded (non-DP) room, written as the attacker would run
// them: only through the HTTP API, as the affiliate network of `affiliate-revenue` trying to
// learn one referred player's net revenue (the operator's secret), or whether a guessed
// referral is one of the operator's players. Minimum crowd: 50 players.

type Party = { id: string; apiKey: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string } } };
type Table = { rows: Record<string, unknown>[]; suppressed: Record<string, unknown> };
type Run = { id: string; status: string; reason: string | null; result: { tables: Record<string, Table> } | null };

/** 80 referred players with January revenue, and the target: referred too, revenue in February only. */
const PLAYERS = 80;
const TARGET_REVENUE = 1234.56;
const revenueOf = (i: number): number => 100 + i;

describe('differencing and membership attacks through the API, on a thresholded room', () => {
  let h: ServerHarness;
  let network: Party;
  let operator: Party;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    h = await serverHarness({ masterKey });
    network = await h.party('Network');
    operator = await h.party('Operator');
  });
  afterAll(async () => h.close());

  /** Writes and prepares a CSV in the template's columns, the identifiers hashed as a party's client would. */
  async function prepared(name: string, header: string[], rows: string[][], identifiers: Record<string, string>): Promise<string> {
    const raw = join(h.dir, `${name}.csv`);
    writeFileSync(raw, `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`);
    const out = join(h.dir, `${name}.prepared.csv`);
    await prepareFile({ input: raw, output: out, map: identifiers, autoDetect: false, workers: 0, dedupe: false });
    return out;
  }
  const referrals = (ids: number[], affiliate = 'aff1') =>
    prepared(`referrals-${ids.length}-${affiliate}-${ids[0]}`, ['referral_id', 'affiliate_id', 'referred_at', 'email'], ids.map((i) => [`ref-${i}`, affiliate, '2025-12-01', '']), { external_id: 'referral_id' });
  const revenue = () =>
    prepared(
      'revenue',
      ['player_id', 'month', 'net_revenue', 'product', 'referral_id'],
      [
        ...Array.from({ length: PLAYERS }, (_, i) => [`pl-${i}`, '2026-01-01', String(revenueOf(i)), 'casino', `ref-${i}`]),
        [`pl-target`, '2026-02-01', String(TARGET_REVENUE), 'casino', `ref-${PLAYERS}`],
      ],
      { external_id: 'referral_id' },
    );

  async function collaboration(): Promise<Collab> {
    const res = await h.call('POST', '/v1/collaborations', { key: network.apiKey, json: { name: 'affiliates', template: 'affiliate-revenue', members: { network: network.id, operator: operator.id } } });
    expect(res.status).toBe(201);
    const c = (await res.json()) as Collab;
    for (const p of [network, operator]) {
      const a = await h.call('POST', `/v1/collaborations/${c.id}/attestations`, { key: p.apiKey, json: { termsVersion: c.template.terms.version, templateDigest: c.templateDigest } });
      expect(a.status).toBeLessThan(300);
    }
    return c;
  }
  async function upload(p: Party, c: Collab, dataset: string, path: string): Promise<void> {
    const res = await h.call('PUT', `/v1/collaborations/${c.id}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(path), headers: { 'content-type': 'text/csv' } });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  async function run(c: Collab, params: Record<string, unknown>): Promise<Run> {
    const res = await h.call('POST', `/v1/collaborations/${c.id}/runs`, { key: network.apiKey, json: { analysis: 'affiliate_revenue', params } });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Run;
  }
  /** Every released net revenue sum of a run, by affiliate. */
  const sums = (r: Run): Map<string, number> => new Map((r.result?.tables.affiliate_revenue?.rows ?? []).map((row) => [String(row['referrals.affiliate_id']), Number(row['player_revenue.net_revenue.sum'])]));
  /** Whether any two released sums of the runs differ by exactly the target's revenue: the secret the attack is after. */
  const revealsTarget = (a: Run, b: Run): boolean => [...sums(a)].some(([affiliate, x]) => sums(b).has(affiliate) && Math.abs(Math.abs(sums(b).get(affiliate)! - x) - TARGET_REVENUE) < 0.005);

  it('attack 1, differencing by parameters: two revenue windows one month apart do not both release', async () => {
    const c = await collaboration();
    await upload(network, c, 'referrals', await referrals(Array.from({ length: PLAYERS + 1 }, (_, i) => i)));
    await upload(operator, c, 'player_revenue', await revenue());
    const january = await run(c, { group_by: ['referrals.affiliate_id'], to_month: '2026-01-31' });
    expect(january.status).toBe('released');
    expect(sums(january).get('aff1')).toBeCloseTo(Array.from({ length: PLAYERS }, (_, i) => revenueOf(i)).reduce((s, v) => s + v, 0), 2);
    const february = await run(c, { group_by: ['referrals.affiliate_id'], to_month: '2026-02-28' });
    // 81 players against the 80 released before: one person apart, so the row is held back.
    expect(february.status).toBe('suppressed');
    expect(revealsTarget(january, february)).toBe(false);
    // Ordinary use is untouched: the same question again is answered as before.
    const again = await run(c, { group_by: ['referrals.affiliate_id'], to_month: '2026-01-31' });
    expect(sums(again)).toEqual(sums(january));
  });

  it('attack 1 across a server restart: the memory of what was released is durable, outside the room database', async () => {
    const c = await collaboration();
    await upload(network, c, 'referrals', await referrals(Array.from({ length: PLAYERS + 1 }, (_, i) => i)));
    await upload(operator, c, 'player_revenue', await revenue());
    const january = await run(c, { group_by: ['referrals.affiliate_id'], to_month: '2026-01-31' });
    expect(january.status).toBe('released');
    await h.close();
    h = await serverHarness({ dataDir: h.dataDir, operatorKey: h.operatorKey, masterKey });
    const february = await run(c, { group_by: ['referrals.affiliate_id'], to_month: '2026-02-28' });
    expect(february.status).toBe('suppressed');
    expect(revealsTarget(january, february)).toBe(false);
    // What the check remembers is a file of its own beside the ledger, one line per released row.
    const lines = readFileSync(join(h.dataDir, 'release-memory', `${c.id}.jsonl`), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['settings', 'dataset', 'dataset', 'release']);
  });

  it('attack 2, differencing by re-upload: the same dataset without the target does not release again', async () => {
    const c = await collaboration();
    await upload(network, c, 'referrals', await referrals(Array.from({ length: PLAYERS + 1 }, (_, i) => i)));
    await upload(operator, c, 'player_revenue', await revenue());
    const before = await run(c, { group_by: ['referrals.affiliate_id'] });
    expect(before.status).toBe('released');
    await upload(network, c, 'referrals', await referrals(Array.from({ length: PLAYERS }, (_, i) => i)));
    const after = await run(c, { group_by: ['referrals.affiliate_id'] });
    expect(after.status).toBe('suppressed');
    expect(revealsTarget(before, after)).toBe(false);
    // The audit marks the re-upload, and the operator counts it as an incident.
    const audit = (await (await h.call('GET', `/v1/collaborations/${c.id}/audit`, { key: operator.apiKey })).json()) as { events: { action: string; params?: { peopleChange?: string }; reason?: string }[] };
    const uploads = audit.events.filter((e) => e.action === 'upload');
    expect(uploads.map((e) => e.params?.peopleChange)).toEqual(['first', 'first', 'few']);
    expect(uploads.at(-1)!.reason).toMatch(/differs from the version before by fewer than 50 people: an incident/);
    const metrics = (await (await h.call('GET', '/v1/metrics', { key: h.operatorKey })).json()) as { byCollaboration: { id: string; incidents: number }[] };
    expect(metrics.byCollaboration.find((m) => m.id === c.id)!.incidents).toBe(1);
  });

  it('attack 3, threshold-boundary membership: 49 known players plus a guess no longer answers "member?" deterministically', async () => {
    // The network knows 49 · TRIALS of the operator's players. Each trial re-uploads 49 of them
    // (disjoint from the other trials', so neither the difference nor the re-upload check
    // interferes) plus the guess: a member makes 50 people, exactly the minimum, and was always
    // released; a non-member makes 49 and was always suppressed. Under the ready template's noisy
    // threshold (scale 3: a member is released 58% of the time, a non-member 40%) each population
    // draws its own seeded noise, so both answers occur for both guesses (all 24 the same has a
    // chance below 2e-5).
    const TRIALS = 24;
    const known = 49 * TRIALS;
    const member = 5000;
    const operatorFile = await prepared(
      'revenue-many',
      ['player_id', 'month', 'net_revenue', 'product', 'referral_id'],
      [...Array.from({ length: known }, (_, i) => i), member].map((i) => [`pl-${i}`, '2026-01-01', String(revenueOf(i)), 'casino', `ref-${i}`]),
      { external_id: 'referral_id' },
    );
    const released: Record<string, number> = {};
    for (const [name, guess] of [['member', member], ['non-member', 99_999]] as const) {
      const c = await collaboration();
      await upload(operator, c, 'player_revenue', operatorFile);
      released[name] = 0;
      for (let t = 0; t < TRIALS; t++) {
        await upload(network, c, 'referrals', await referrals([...Array.from({ length: 49 }, (_, i) => 49 * t + i), guess], `aff${t}`));
        const r = await run(c, { group_by: ['referrals.affiliate_id'] });
        if (r.status === 'released') {
          released[name]++;
          // What is released is the true crowd, and never under the floor of 50 − 3·3.
          expect(Number(r.result!.tables.affiliate_revenue!.rows[0]!.people)).toBe(name === 'member' ? 50 : 49);
        }
      }
    }
    for (const name of ['member', 'non-member']) {
      expect(released[name], `${name}: released ${released[name]} of ${TRIALS}`).toBeGreaterThan(0);
      expect(released[name], `${name}: released ${released[name]} of ${TRIALS}`).toBeLessThan(TRIALS);
    }
  });

  it('attack 4, zero versus small: a member guess and a non-member guess get byte-identical answers', async () => {
    const answers: string[] = [];
    for (const guess of [PLAYERS - 1, 10_000]) {
      const c = await collaboration();
      // The guessed referral alone under its own affiliate: a member makes a group of one, a
      // non-member no group at all; the report must not tell the two apart.
      await upload(network, c, 'referrals', await referrals([guess], 'guess'));
      await upload(operator, c, 'player_revenue', await revenue());
      const r = await run(c, { group_by: ['referrals.affiliate_id'] });
      answers.push(JSON.stringify({ status: r.status, reason: r.reason, result: r.result }));
    }
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).not.toContain('"guess"');
    expect(answers[0]).toContain('whether any were held back is not told');
  });
});
