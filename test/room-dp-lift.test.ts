import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/cli/demo/generate-customers.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { noisyLiftStatistics } from '../src/core/analyses/dp/noisy-lift.js';
import type { NoisyLiftArm } from '../src/core/analyses/dp/noisy-lift.js';
import { liftStatistics, Z95 } from '../src/core/analyses/lift-statistics.js';
import type { LiftStatistics } from '../src/core/analyses/lift-statistics.js';
import { sampleNoise } from '../src/core/privacy/dp/mechanism.js';
import { noiseInterval95 } from '../src/core/privacy/dp/noise-interval.js';
import { seededRandomSource } from '../src/core/privacy/dp/random-source.js';
import { rational } from '../src/core/privacy/dp/rational.js';
import type { Collaboration } from '../src/core/collaboration/collaboration.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';

// Lift under differential privacy: the ready template lift-incrementality with a DP policy
// added. Arms bounded per person (k rows, m conversions, values clamped), noisy people,
// converters, conversions and revenue per arm, and lift statistics whose intervals carry the
// noise as well as the sampling error.

const publisher = actor('p_publisher');
const advertiser = actor('p_advertiser');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function dpLiftTemplate(options: { epsilon?: number; k?: number; m?: number; cap?: [number, number] } = {}): Template {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'templates', 'lift-incrementality.json'), 'utf8')) as Json;
  json.name = 'lift-incrementality-dp';
  json.privacy.dp = { unit: 'person', mechanism: 'laplace', budget: { epsilon: 1000, delta: 1e-5 }, perParty: null, refreshDays: null };
  json.datasets.conversions.columns.value.range = [0, 100];
  json.analyses.lift.dp = { epsilon: options.epsilon ?? 100, maxGroupsPerPerson: options.k ?? 1, maxRowsPerGroup: options.m ?? 3, resolution: 0.01, ...(options.cap ? { personTotals: { 'conversions.value': options.cap } } : {}) };
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.template;
}

interface Truth {
  people: number;
  converters: number;
  conversions: number;
  revenue: number;
  revenueSquares: number;
}

describe('lift under differential privacy', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  let files: { audience: string; conversions: string };
  const truth: Record<'exposed' | 'holdout', Truth> = {
    exposed: { people: 0, converters: 0, conversions: 0, revenue: 0, revenueSquares: 0 },
    holdout: { people: 0, converters: 0, conversions: 0, revenue: 0, revenueSquares: 0 },
  };

  beforeAll(async () => {
    h = await roomHarness();
    // 6,000 people, a quarter held out; exposed people convert at 12%, held-out ones at 8%,
    // each converter 1 to 3 times for $0 to $100.
    const random = seededRandom(7);
    const audience = ['email,phone,first_name,last_name,zip,campaign,test_group'];
    const conversions = ['customer_id,converted_at,value,email,phone,first_name,last_name,zip'];
    for (let i = 0; i < 6000; i++) {
      const arm = i % 4 === 0 ? 'holdout' : 'exposed';
      const email = `Person.${i}@Example.com`;
      audience.push(`${email},,,,,spring,${arm}`);
      truth[arm].people++;
      if (random() < (arm === 'exposed' ? 0.12 : 0.08)) {
        const n = 1 + Math.floor(random() * 3);
        let personRevenue = 0;
        for (let k = 0; k < n; k++) {
          const value = Math.round(random() * 10000) / 100;
          personRevenue += value;
          conversions.push(`cust${i},2026-04-${String(10 + k).padStart(2, '0')}T12:00:00Z,${value},${email.toLowerCase()},,,,`);
        }
        truth[arm].converters++;
        truth[arm].conversions += n;
        truth[arm].revenue += personRevenue;
        truth[arm].revenueSquares += personRevenue * personRevenue;
      }
    }
    const prepared = async (name: string, lines: string[]) => {
      const input = join(h.dir, `${name}.raw.csv`);
      writeFileSync(input, `${lines.join('\n')}\n`);
      const output = join(h.dir, `${name}.csv`);
      await prepareFile({ input, output, map: { email: 'email' }, autoDetect: false, dedupe: false });
      return output;
    };
    files = { audience: await prepared('audience', audience), conversions: await prepared('conversions', conversions) };
  });
  afterAll(async () => h.close());

  async function collaboration(template: Template): Promise<Collaboration> {
    const c = await h.room.createCollaboration(publisher, { name: 'dp lift', template, members: { publisher: publisher.party, advertiser: advertiser.party } });
    for (const p of [publisher, advertiser]) await h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    await h.room.upload(publisher, c.id, 'campaign_audience', files.audience);
    await h.room.upload(advertiser, c.id, 'conversions', files.conversions);
    return c;
  }

  it('releases noisy arms near the truth and lift statistics near the exact ones, with intervals that hold them', async () => {
    const c = await collaboration(dpLiftTemplate());
    const run = await h.room.run(advertiser, c.id, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' });
    expect(run.status, run.reason ?? '').toBe('released');
    const table = run.result!.tables.lift!;
    expect(table.selection).toEqual({ kind: 'public' });
    expect(table.columns).toEqual(['arm', 'people', 'converters', 'conversions', 'revenue']);
    for (const name of ['exposed', 'holdout'] as const) {
      const row = table.rows.find((r) => r.arm === name)!;
      for (const [column, value] of [['people', truth[name].people], ['converters', truth[name].converters], ['conversions', truth[name].conversions], ['revenue', truth[name].revenue]] as const) {
        const halfWidth = table.noise![column]!.halfWidth!;
        expect(Math.abs(Number(row[column]) - value), `${name} ${column}`).toBeLessThanOrEqual(4 * halfWidth + 1e-9);
      }
      expect(row).not.toHaveProperty('revenue_squares');
    }
    const exact = liftStatistics(truth.exposed, truth.holdout);
    const groups = (run.result!.summary as { groups: { statistics: LiftStatistics }[] }).groups;
    expect(groups).toHaveLength(1);
    const got = groups[0]!.statistics;
    // ε = 100 makes the noise small: the estimates are close to the exact ones, and each
    // interval holds the exact estimate and is at least as wide as the exact interval.
    expect(got.relativeLift.value).toBeCloseTo(exact.relativeLift.value, 1);
    for (const key of ['rateDifference', 'relativeLift', 'incrementalConverters', 'incrementalRevenue'] as const) {
      expect(got[key].ci95[0], key).toBeLessThanOrEqual(exact[key].value);
      expect(got[key].ci95[1], key).toBeGreaterThanOrEqual(exact[key].value);
    }
    expect(got.rateDifference.ci95[1] - got.rateDifference.ci95[0]).toBeGreaterThanOrEqual((exact.rateDifference.ci95[1] - exact.rateDifference.ci95[0]) * 0.95);
    expect(got.pValue).toBeLessThan(0.05);
    expect(run.result!.privacy).toMatchObject({ mechanism: 'laplace', cost: 'ε=100, δ=1e-7' });
  });

  it('caps each person\'s revenue (dp.personTotals): revenue near the clamped truth, noise calibrated to the cap', async () => {
    const c = await collaboration(dpLiftTemplate({ cap: [0, 50] }));
    const run = await h.room.run(advertiser, c.id, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' });
    const table = run.result!.tables.lift!;
    // ε = 100 over 4 statistics: revenue scale = k·min(m·B, cap)/25 = 50/25 = $2.
    expect(table.noise!.revenue!.label).toMatch(/scale=2 \(200 steps of 0\.01\)/);
    for (const name of ['exposed', 'holdout'] as const) {
      const row = table.rows.find((r) => r.arm === name)!;
      // Each converter's revenue is at most $50 now: far below the uncapped truth.
      expect(Number(row.revenue)).toBeLessThanOrEqual(truth[name].converters * 50 + 4 * table.noise!.revenue!.halfWidth!);
      expect(truth[name].revenue).toBeGreaterThan(truth[name].converters * 60);
    }
  });

  it('bounds each person to m conversions: at m = 1 the conversions are the converters', async () => {
    const c = await collaboration(dpLiftTemplate({ m: 1 }));
    const run = await h.room.run(advertiser, c.id, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' });
    const table = run.result!.tables.lift!;
    for (const name of ['exposed', 'holdout'] as const) {
      const row = table.rows.find((r) => r.arm === name)!;
      expect(truth[name].conversions).toBeGreaterThan(truth[name].converters * 1.5);
      const slack = 4 * (table.noise!.conversions!.halfWidth! + table.noise!.converters!.halfWidth!);
      expect(Math.abs(Number(row.conversions) - Number(row.converters))).toBeLessThanOrEqual(slack);
      // Each kept conversion is at most $100: revenue cannot exceed $100 per converter.
      expect(Number(row.revenue)).toBeLessThanOrEqual(truth[name].converters * 100 + 4 * table.noise!.revenue!.halfWidth!);
    }
  });
});

describe('noisyLiftStatistics', () => {
  it('covers the true rate difference and risk ratio at about 95% once the noise is added, where the plain intervals fall short', () => {
    // 3,000 exposed at 12%, 1,000 held out at 8%; discrete Laplace noise of scale 15 on every
    // count (the 95% half-width is about 45 people).
    const random = seededRandom(2026);
    const rng = seededRandomSource(2026);
    const mechanism = { kind: 'discrete_laplace' as const, scale: rational(15n) };
    const halfWidth = Number(noiseInterval95(mechanism).halfWidth);
    const noise = { people: halfWidth / Z95, converters: halfWidth / Z95, revenue: 0, revenuePerPersonWidth: 0 };
    const draw = (n: number, p: number): NoisyLiftArm => {
      let c = 0;
      for (let i = 0; i < n; i++) if (random() < p) c++;
      return { people: n + Number(sampleNoise(mechanism, rng)), converters: c + Number(sampleNoise(mechanism, rng)), conversions: 0, revenue: 0 };
    };
    const trials = 1000;
    let differenceCovered = 0;
    let ratioCovered = 0;
    let plainCovered = 0;
    for (let t = 0; t < trials; t++) {
      const e = draw(3000, 0.12);
      const h = draw(1000, 0.08);
      const s = noisyLiftStatistics(e, h, noise);
      if (s.rateDifference.ci95[0] <= 0.04 && 0.04 <= s.rateDifference.ci95[1]) differenceCovered++;
      if (s.relativeLift.ci95[0] <= 0.5 && 0.5 <= s.relativeLift.ci95[1]) ratioCovered++;
      const plain = liftStatistics({ ...e, revenueSquares: 0 }, { ...h, revenueSquares: 0 });
      if (plain.rateDifference.ci95[0] <= 0.04 && 0.04 <= plain.rateDifference.ci95[1]) plainCovered++;
    }
    expect(differenceCovered / trials).toBeGreaterThanOrEqual(0.93);
    expect(ratioCovered / trials).toBeGreaterThanOrEqual(0.93);
    // The same data without the noise's variance: the intervals are too narrow.
    expect(plainCovered / trials).toBeLessThan(differenceCovered / trials);
    expect(plainCovered / trials).toBeLessThan(0.93);
  });
});
