import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../src/core/engine-port.js';
import type { Collaboration } from '../src/core/collaboration/collaboration.js';
import type { GuardedTable } from '../src/core/privacy/guard-result.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { attributionFiles, expectedAttribution, generatePeople } from './helpers/attribution-data.js';
import type { TruthPerson } from './helpers/attribution-data.js';
import { actor, roomHarness } from './helpers/room-harness.js';

// Attribution under differential privacy, end to end through the library on the ready
// template offline-sales-attribution with a DP policy added: credited touches bounded per
// matched person (k groups, m credited touches per group, credit in [0, 1], value clamped),
// then noisy people (= converters), conversions and revenue with their 95% intervals.

const publisher = actor('p_publisher');
const retailer = actor('p_retailer');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function dpAttributionJson(options: { epsilon?: number; k?: number; m?: number; campaigns?: string[]; cap?: [number, number] } = {}): Json {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'templates', 'offline-sales-attribution.json'), 'utf8')) as Json;
  json.name = 'offline-sales-attribution-dp';
  json.privacy.dp = { unit: 'person', mechanism: 'laplace', budget: { epsilon: 1000, delta: 1e-5 }, perParty: null, refreshDays: null };
  // The generator's purchases are $1 to $499.
  json.datasets.transactions.columns.revenue.range = [0, 500];
  json.analyses.attribution.dp = { epsilon: options.epsilon ?? 100, maxGroupsPerPerson: options.k ?? 4, maxRowsPerGroup: options.m ?? 40, resolution: 0.01 };
  json.analyses.reach.dp = { epsilon: 1 };
  if (options.cap !== undefined) json.analyses.attribution.dp.personTotals = { 'transactions.revenue': options.cap };
  if (options.campaigns !== undefined) json.datasets.exposures.columns.campaign.allowedValues = options.campaigns;
  return json;
}

function templateOf(json: Json): Template {
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.template;
}

/** The noisy value is within 4 of its 95% half-widths of the truth (Laplace: probability about e^-12 beyond). */
function near(table: GuardedTable, row: Record<string, Cell>, column: string, truth: number): void {
  const halfWidth = table.noise![column]!.halfWidth!;
  expect(Math.abs(Number(row[column]) - truth), `${column} ${String(row[column])} vs ${truth} ± ${halfWidth}`).toBeLessThanOrEqual(4 * halfWidth + 1e-9);
}

describe('attribution under differential privacy', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  let people: TruthPerson[];
  let files: { exposures: string; transactions: string };

  beforeAll(async () => {
    h = await roomHarness();
    people = generatePeople({ matched: 500, publisherOnly: 300, retailerOnly: 300 }, 11);
    files = await attributionFiles(h.dir, people);
  });
  afterAll(async () => h.close());

  async function collaboration(template: Template): Promise<Collaboration> {
    const c = await h.room.createCollaboration(retailer, { name: 'dp attribution', template, members: { publisher: publisher.party, retailer: retailer.party } });
    for (const p of [publisher, retailer]) await h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    await h.room.upload(publisher, c.id, 'exposures', files.exposures);
    await h.room.upload(retailer, c.id, 'transactions', files.transactions);
    return c;
  }

  /** The most credited touches one person has in one campaign, under any model: an m that never binds. */
  function largestM(lookbackDays: number): number {
    let most = 0;
    for (const p of people.filter((x) => x.matchedBy !== null)) {
      const perCampaign = new Map<string, number>();
      for (const q of p.purchases) {
        for (const e of p.exposures.filter((x) => x.ts <= q.ts && q.ts < x.ts + lookbackDays * 86_400_000)) perCampaign.set(e.campaign, (perCampaign.get(e.campaign) ?? 0) + 1);
      }
      most = Math.max(most, ...perCampaign.values());
    }
    return most;
  }

  it('with bounds that do not bind, gives the exact attribution of every model plus noise, charged once per run', async () => {
    const m = largestM(7);
    expect(m).toBeLessThanOrEqual(12);
    const c = await collaboration(templateOf(dpAttributionJson({ k: 4, m })));
    for (const model of ['last_touch', 'first_touch', 'even_split'] as const) {
      const run = await h.room.run(retailer, c.id, 'attribution', { model, lookback_days: 7 });
      const table = run.result!.tables.attribution!;
      const truth = expectedAttribution(people, { model, lookbackDays: 7 });
      // Campaign names come from the publisher's data: the groups pass DP partition selection.
      expect(table.selection).toMatchObject({ kind: 'noisy_threshold' });
      expect(table.rows.map((r) => r.campaign).sort()).toEqual([...truth.keys()].map((key) => (JSON.parse(key) as string[])[0]).sort());
      expect(table.columns).toEqual(['campaign', 'people', 'conversions', 'revenue', 'converters']);
      for (const row of table.rows) {
        const t = truth.get(JSON.stringify([row.campaign]))!;
        near(table, row, 'people', t.converters);
        near(table, row, 'conversions', t.conversions);
        near(table, row, 'revenue', t.revenue);
        expect(row.converters).toBe(row.people);
        expect(Number(row['revenue.low'])).toBeLessThanOrEqual(Number(row.revenue));
        expect(Number(row['revenue.high'])).toBeGreaterThanOrEqual(Number(row.revenue));
      }
      expect(table.noise!.revenue!.label).toMatch(/^noisy sum \(discrete Laplace, scale=/);
      expect(table.noise!.converters!.label).toMatch(/^the same value as people/);
      expect(run.result!.privacy).toMatchObject({ mechanism: 'laplace', cost: 'ε=100, δ=1e-7' });
    }
  });

  it('keeps at most k groups and m credited touches of each person: at k = m = 1 every converter counts once overall', async () => {
    const c = await collaboration(templateOf(dpAttributionJson({ k: 1, m: 1, campaigns: ['brand', 'retarget', 'spring', 'summer', 'winter'] })));
    const run = await h.room.run(retailer, c.id, 'attribution', { model: 'last_touch', lookback_days: 30 });
    const table = run.result!.tables.attribution!;
    // Declared campaign names: every one is released, the one nobody saw as a noisy zero.
    expect(table.selection).toEqual({ kind: 'public' });
    expect(table.rows.map((r) => r.campaign).sort()).toEqual(['brand', 'retarget', 'spring', 'summer', 'winter']);
    near(table, table.rows.find((r) => r.campaign === 'winter')!, 'people', 0);
    const truth = expectedAttribution(people, { model: 'last_touch', lookbackDays: 30 });
    const unbounded = [...truth.values()].reduce((n, t) => n + t.converters, 0);
    const conversions = [...truth.values()].reduce((n, t) => n + t.conversions, 0);
    // One group per person: the people of all campaigns add up to the distinct converters.
    const converters = people.filter((p) => p.matchedBy !== null && p.purchases.some((q) => p.exposures.some((e) => e.ts <= q.ts && q.ts < e.ts + 30 * 86_400_000))).length;
    expect(unbounded).toBeGreaterThan(converters); // some people convert on several campaigns
    const sum = (column: string) => table.rows.reduce((n, r) => n + Number(r[column]), 0);
    const slack = (column: string) => 4 * table.rows.length * table.noise![column]!.halfWidth!;
    expect(Math.abs(sum('people') - converters)).toBeLessThanOrEqual(slack('people'));
    // One credited touch per person: conversions add up to the same number, below the true total.
    expect(conversions).toBeGreaterThan(converters);
    expect(Math.abs(sum('conversions') - converters)).toBeLessThanOrEqual(slack('conversions'));
  });

  it('caps each person\'s credited revenue per campaign (dp.personTotals): the noise is calibrated to the cap', async () => {
    const c = await collaboration(templateOf(dpAttributionJson({ k: 4, m: 12, campaigns: ['brand', 'retarget', 'spring', 'summer'], cap: [0, 600] })));
    const run = await h.room.run(retailer, c.id, 'attribution', { model: 'last_touch', lookback_days: 7 });
    const table = run.result!.tables.attribution!;
    // Public campaigns: ε = 100 over people, conversions and revenue; revenue scale = k·min(m·B, cap)/(100/3) = 4 × 600 × 3/100 = $72.
    expect(table.noise!.revenue!.label).toMatch(/scale=72 \(7200 steps of 0\.01\)/);
    const truth = expectedAttribution(people, { model: 'last_touch', lookbackDays: 7 });
    for (const row of table.rows) {
      // Clamping can only lower a campaign's revenue.
      expect(Number(row.revenue)).toBeLessThanOrEqual(truth.get(JSON.stringify([row.campaign]))!.revenue + 4 * table.noise!.revenue!.halfWidth!);
    }
  });

  it('refuses a cap on a column the analysis does not sum, naming it', () => {
    const json = dpAttributionJson();
    json.analyses.attribution.dp.personTotals = { 'transactions.store': [0, 10] };
    const result = validateTemplate(json);
    expect(!result.ok && result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'analyses.attribution.dp.personTotals.transactions.store' })]));
    for (const [cap, message] of [
      [[600, 0], /the low end must be below the high end/],
      [[0, 600.005], /the ends must be whole steps/],
    ] as const) {
      const bad = dpAttributionJson({ cap: [...cap] });
      const refused = validateTemplate(bad);
      expect(!refused.ok && refused.problems).toEqual([expect.objectContaining({ code: 'invalid_value', path: 'analyses.attribution.dp.personTotals.transactions.revenue', message: expect.stringMatching(message) })]);
    }
  });

  it('refuses a DP template whose conversion value has no declared range, naming the column', () => {
    const json = dpAttributionJson();
    delete json.datasets.transactions.columns.revenue.range;
    const result = validateTemplate(json);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'datasets.transactions.columns.revenue.range' })]));
  });
});
