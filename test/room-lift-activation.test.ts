import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftStatistics } from '../src/core/analyses/lift-statistics.js';
import { seededRandom } from '../src/cli/demo/generate-customers.js';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { actor, roomHarness } from './helpers/room-harness.js';

const publisher = actor('p_publisher');
const advertiser = actor('p_advertiser');
const team = actor('p_team');
const rideshare = actor('p_rideshare');

/** A seeded PRNG, so the truth below is the same on every run. */
const rng = seededRandom;

describe('lift and activation, end to end through the library', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let dir: string;
  let template: (name: string) => import('../src/core/template/index.js').Template;

  beforeAll(async () => {
    const h = await roomHarness();
    ({ room, close, dir, template } = h);
  });
  afterAll(async () => close());

  it('measures lift exactly on a holdout test whose truth is known', async () => {
    const c = await room.createCollaboration(publisher, { name: 'lift', template: template('lift-incrementality'), members: { publisher: publisher.party, advertiser: advertiser.party } });
    for (const p of [publisher, advertiser]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const random = rng(7);
    const audience = ['email,phone,first_name,last_name,zip,campaign,test_group'];
    const conversions = ['customer_id,converted_at,value,email,phone,first_name,last_name,zip'];
    const truth = { exposed: { people: 0, converters: 0, conversions: 0, revenue: 0, revenueSquares: 0 }, holdout: { people: 0, converters: 0, conversions: 0, revenue: 0, revenueSquares: 0 } };
    for (let i = 0; i < 3000; i++) {
      const arm = i % 4 === 0 ? 'holdout' : 'exposed';
      const email = `Person.${i}@Example.com`;
      audience.push(`${email},,,,,spring,${arm}`);
      truth[arm].people++;
      const rate = arm === 'exposed' ? 0.12 : 0.08;
      if (random() < rate) {
        const n = 1 + Math.floor(random() * 3);
        let personRevenue = 0;
        for (let k = 0; k < n; k++) {
          const value = Math.round(random() * 10000) / 100;
          personRevenue += value;
          conversions.push(`cust${i},2026-04-${String(10 + k).padStart(2, '0')}T12:00:00Z,${value},${email.toLowerCase()},,,,`);
        }
        // A conversion outside the measured window does not count.
        conversions.push(`cust${i},2026-07-01T00:00:00Z,999,${email.toLowerCase()},,,,`);
        truth[arm].converters++;
        truth[arm].conversions += n;
        truth[arm].revenue += personRevenue;
        truth[arm].revenueSquares += personRevenue * personRevenue;
      }
    }
    // Converters who were never in the study are not counted in any arm.
    for (let i = 0; i < 50; i++) conversions.push(`other${i},2026-04-15T00:00:00Z,10,outsider${i}@example.com,,,,`);
    const raw = (name: string, lines: string[]) => {
      const path = join(dir, `${name}.raw.csv`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const prepared = async (name: string, lines: string[]) => {
      const output = join(dir, `${name}.csv`);
      await prepareFile({ input: raw(name, lines), output, map: { email: 'email' }, autoDetect: false, dedupe: false });
      return output;
    };
    await room.upload(publisher, c.id, 'campaign_audience', await prepared('audience', audience));
    await room.upload(advertiser, c.id, 'conversions', await prepared('conversions', conversions));
    const run = await room.run(advertiser, c.id, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' });
    expect(run.status, run.reason ?? '').toBe('released');
    const rows = run.result!.tables.lift!.rows;
    const arm = (name: string) => rows.find((r) => r.arm === name)!;
    for (const name of ['exposed', 'holdout'] as const) {
      expect(arm(name).people).toBe(truth[name].people);
      expect(arm(name).converters).toBe(truth[name].converters);
      expect(arm(name).conversions).toBe(truth[name].conversions);
      expect(Number(arm(name).revenue)).toBeCloseTo(truth[name].revenue, 6);
      expect(arm(name)).not.toHaveProperty('revenue_squares');
    }
    const expected = liftStatistics(truth.exposed, truth.holdout);
    const groups = (run.result!.summary as { groups: { statistics: typeof expected }[] }).groups;
    expect(groups).toHaveLength(1);
    const got = groups[0]!.statistics;
    expect(got.relativeLift.value).toBeCloseTo(expected.relativeLift.value, 9);
    expect(got.incrementalConverters.value).toBeCloseTo(expected.incrementalConverters.value, 6);
    expect(got.incrementalRevenue.ci95[0]).toBeCloseTo(expected.incrementalRevenue.ci95[0], 3);
    expect(got.pValue).toBeCloseTo(expected.pValue, 9);
  });

  it('delivers the rideshare app its own customer ids of the team\'s fans, and nobody else can get them', async () => {
    const c = await room.createCollaboration(rideshare, { name: 'fans', template: template('audience-activation'), members: { team: team.party, rideshare: rideshare.party } });
    for (const p of [team, rideshare]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    // This template hashes in the room: both parties upload raw identifiers.
    const fans = ['email,phone,fan_tier'];
    const riders = ['customer_id,email,phone'];
    const expectedGold = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const tier = i % 3 === 0 ? 'season_ticket' : i % 3 === 1 ? 'member' : 'newsletter';
      fans.push(`Fan${i}@Mail.com,,${tier}`);
      if (i < 450) {
        riders.push(`=RIDER${i},fan${i}@mail.com,`);
        if (tier === 'season_ticket') expectedGold.add(`'=RIDER${i}`);
      }
    }
    for (let i = 0; i < 300; i++) riders.push(`RIDER_X${i},nonfan${i}@mail.com,`);
    writeFileSync(join(dir, 'fans.csv'), `${fans.join('\n')}\n`);
    writeFileSync(join(dir, 'riders.csv'), `${riders.join('\n')}\n`);
    await room.upload(team, c.id, 'fans', join(dir, 'fans.csv'));
    await room.upload(rideshare, c.id, 'riders', join(dir, 'riders.csv'));
    const run = await room.run(rideshare, c.id, 'fan_riders', { fan_tiers: ['season_ticket'] });
    expect(run.status).toBe('released');
    expect(run.result!.audience).toEqual({ people: 150, dataset: 'riders' });
    const csv = await room.audienceCsv(rideshare, c.id, run.id);
    const keys = csv.trim().split('\n');
    expect(keys[0]).toBe('person_key');
    // Its own keys, as uploaded, spreadsheet-safe; no email, no hash of the other side.
    expect(new Set(keys.slice(1))).toEqual(expectedGold);
    expect(csv).not.toMatch(/@|[0-9a-f]{64}/);
    await expect(room.audienceCsv(team, c.id, run.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.run(team, c.id, 'fan_riders', {})).rejects.toMatchObject({ code: 'forbidden' });
    const raw = JSON.stringify(await room.auditEvents(team, c.id));
    expect(raw).not.toMatch(/RIDER|@mail/);
  });

  it('suppresses an activation segment below the minimum instead of telling more', async () => {
    const c = await room.createCollaboration(rideshare, { name: 'small', template: template('audience-activation'), members: { team: team.party, rideshare: rideshare.party } });
    for (const p of [team, rideshare]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const fans = ['email,phone,fan_tier', ...Array.from({ length: 99 }, (_, i) => `f${i}@x.com,,member`)];
    const riders = ['customer_id,email,phone', ...Array.from({ length: 99 }, (_, i) => `R${i},f${i}@x.com,`)];
    writeFileSync(join(dir, 'sfans.csv'), `${fans.join('\n')}\n`);
    writeFileSync(join(dir, 'sriders.csv'), `${riders.join('\n')}\n`);
    await room.upload(team, c.id, 'fans', join(dir, 'sfans.csv'));
    await room.upload(rideshare, c.id, 'riders', join(dir, 'sriders.csv'));
    const run = await room.run(rideshare, c.id, 'fan_riders', {});
    expect(run.status).toBe('suppressed');
    expect(run.result!.audience).toBeUndefined();
    await expect(room.audienceCsv(rideshare, c.id, run.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('ingest enforces the template\'s allowed values and ranges', () => {
  it('rejects a fan tier the template does not allow, and a revenue outside its range, by line', async () => {
    const h = await roomHarness();
    try {
      const c = await h.room.createCollaboration(team, { name: 'tiers', template: h.template('audience-activation'), members: { team: team.party, rideshare: rideshare.party } });
      await h.room.attest(team, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
      const path = join(h.dir, 'tiers.csv');
      writeFileSync(path, 'email,phone,fan_tier\na@x.com,,member\nb@x.com,,vip\nc@x.com,,newsletter\n');
      const upload = await h.room.upload(team, c.id, 'fans', path);
      expect(upload.report.rowsStored).toBe(2);
      expect(upload.report.rejects).toEqual([{ line: 3, column: 'fan_tier', reason: 'not_allowed' }]);
      const retailer = actor('p_retailer');
      const sales = await h.room.createCollaboration(retailer, { name: 'range', template: h.template('offline-sales-attribution'), members: { publisher: team.party, retailer: retailer.party } });
      await h.room.attest(retailer, sales.id, { termsVersion: sales.template.terms.version, templateDigest: sales.templateDigest });
      const tx = join(h.dir, 'tx.csv');
      const e = 'a'.repeat(64);
      writeFileSync(tx, `customer_id,revenue,store,product_code,purchased_at,email\nc1,12.5,s,p,2026-01-01T00:00:00Z,${e}\nc2,-5,s,p,2026-01-01T00:00:00Z,${e}\nc3,100001,s,p,2026-01-01T00:00:00Z,${e}\n`);
      const loaded = await h.room.upload(retailer, sales.id, 'transactions', tx);
      expect(loaded.report.rowsStored).toBe(1);
      expect(loaded.report.rejects.map((r) => [r.line, r.reason])).toEqual([
        [3, 'out_of_range'],
        [4, 'out_of_range'],
      ]);
    } finally {
      await h.close();
    }
  });
});
