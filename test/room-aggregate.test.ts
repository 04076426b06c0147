import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const brand = actor('p_brand');
const bank = actor('p_bank');
const network = actor('p_network');
const operator = actor('p_operator');
const sponsor = actor('p_sponsor');
const hospital = actor('p_hospital');

describe('aggregate scenarios, end to end through the library', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let dir: string;
  let template: (name: string) => Template;
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };

  beforeAll(async () => {
    ({ room, close, dir, template } = await roomHarness());
  });
  afterAll(async () => close());

  it('sizes a bank segment in ranges, released only after the bank approves', async () => {
    const c = await room.createCollaboration(brand, { name: 'premium', template: template('segment-sizing-bank'), members: { brand: brand.party, bank: bank.party } });
    for (const p of [brand, bank]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const members = ['email,phone,first_name,last_name,zip,tier'];
    const holdings = ['customer_id,product,email,phone,first_name,last_name,zip'];
    let truth = 0;
    for (let i = 0; i < 2400; i++) {
      const tier = i % 4 === 0 ? 'premium' : 'gold';
      members.push(`${sha(`m${i}@x.com`)},,,,,${tier}`);
      if (i % 2 === 0) {
        holdings.push(`B${i},premium_card,${sha(`m${i}@x.com`)},,,,`);
        holdings.push(`B${i},checking,${sha(`m${i}@x.com`)},,,,`);
        if (tier === 'premium') truth++;
      }
    }
    await room.upload(brand, c.id, 'loyalty_members', file('members.csv', members));
    await room.upload(bank, c.id, 'product_holdings', file('holdings.csv', holdings));
    const run = await room.run(brand, c.id, 'segment_size', { product: 'premium_card' });
    expect(run.status).toBe('pending');
    expect(run.result).toBeNull();
    await expect(room.review(brand, c.id, run.id, 'approved')).rejects.toMatchObject({ code: 'forbidden' });
    const pending = await room.getRun(bank, c.id, run.id);
    expect(pending.result).not.toBeNull();
    await room.review(bank, c.id, run.id, 'approved');
    const released = await room.getRun(brand, c.id, run.id);
    expect(released.status).toBe('released');
    const table = released.result!.tables.segment_size!;
    expect(truth).toBe(600);
    // Rounded down to the template's ranges of 500: 600 people reads as 500–999.
    expect(table.rows).toEqual([{ people: 500 }]);
    expect(table.roundedTo).toBe(500);
    const events = await room.auditEvents(bank, c.id);
    expect(events.filter((e) => e.action === 'review').map((e) => e.decision)).toEqual(['refused', 'approved']);
  });

  it('attributes operator revenue to affiliates exactly, without exposing any player', async () => {
    const c = await room.createCollaboration(network, { name: 'affiliates', template: template('affiliate-revenue'), members: { network: network.party, operator: operator.party } });
    for (const p of [network, operator]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const referrals = ['referral_id,email,affiliate_id,referred_at'];
    const revenue = ['player_id,referral_id,email,month,net_revenue,product'];
    const truth = new Map<string, { people: number; sum: number }>();
    for (let i = 0; i < 900; i++) {
      const affiliate = ['aff_a', 'aff_b', 'aff_c'][i % 3]!;
      referrals.push(`${sha(`ref${i}`)},,${affiliate},2026-01-0${1 + (i % 9)}`);
      const t = truth.get(affiliate) ?? { people: 0, sum: 0 };
      t.people++;
      for (const month of ['2026-01-01', '2026-02-01']) {
        const value = ((i * 37) % 1000) / 10;
        revenue.push(`P${i},${sha(`ref${i}`)},,${month},${value},casino`);
        t.sum += value;
      }
      truth.set(affiliate, t);
    }
    await room.upload(network, c.id, 'referrals', file('referrals.csv', referrals));
    await room.upload(operator, c.id, 'player_revenue', file('revenue.csv', revenue));
    const run = await room.run(network, c.id, 'affiliate_revenue', {});
    expect(run.status).toBe('released');
    const rows = run.result!.tables.affiliate_revenue!.rows;
    for (const row of rows) {
      const t = truth.get(String(row['referrals.affiliate_id']))!;
      expect(row.people).toBe(t.people);
      expect(Number(row['player_revenue.net_revenue.sum'])).toBeCloseTo(t.sum, 6);
      expect(Number(row['player_revenue.net_revenue.mean'])).toBeCloseTo(t.sum / t.people, 6);
    }
    expect(rows).toHaveLength(3);
    // No player id or referral id appears as a value (ids like run_… are random and may hold "P1").
    expect(JSON.stringify(run)).not.toMatch(/"P\d+"|"ref\d+"|[0-9a-f]{64}/);
    const january = await room.run(operator, c.id, 'affiliate_revenue', { to_month: '2026-01-31' });
    const a = january.result!.tables.affiliate_revenue!.rows.find((r) => r['referrals.affiliate_id'] === 'aff_a')!;
    expect(Number(a['player_revenue.net_revenue.sum'])).toBeCloseTo(truth.get('aff_a')!.sum / 2, 6);
  });

  it('counts eligible patients, and a filter that isolates too few is suppressed, not an error', async () => {
    const c = await room.createCollaboration(sponsor, { name: 'trial', template: template('clinical-trial-eligibility'), members: { sponsor: sponsor.party, hospital: hospital.party } });
    for (const p of [sponsor, hospital]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const volunteers = ['email,phone,first_name,last_name,dob'];
    const patients = ['patient_id,diagnosis_group,age,email,phone,first_name,last_name,dob'];
    for (let i = 0; i < 400; i++) {
      volunteers.push(`${sha(`v${i}@x.com`)},,,,`);
      patients.push(`H${i},${i < 230 ? 'E11' : 'I10'},${i < 20 ? 17 + (i % 3) : 40 + (i % 30)},${sha(`v${i}@x.com`)},,,,`);
    }
    await room.upload(sponsor, c.id, 'volunteers', file('volunteers.csv', volunteers));
    await room.upload(hospital, c.id, 'patients', file('patients.csv', patients));
    const run = await room.run(sponsor, c.id, 'eligible_count', { diagnosis_groups: ['E11'], min_age: 18 });
    // E11 is rows 0..229; ages 17,18,19 repeat over rows 0..19, so 7 of them are 17: 223 → rounded to 220.
    expect(run.result!.tables.eligible_count!.rows).toEqual([{ people: 220 }]);
    const narrow = await room.run(sponsor, c.id, 'eligible_count', { diagnosis_groups: ['E11'], min_age: 18, max_age: 19 });
    expect(narrow.status).toBe('suppressed');
    expect(narrow.result!.tables.eligible_count!.rows).toEqual([]);
    expect(narrow.reason).toMatch(/fewer than 50 people/);
  });
});
