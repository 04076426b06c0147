import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { tempDir } from './helpers/run-cleanroom.js';
import { twoPartyFiles } from './helpers/two-party-data.js';

describe('identity resolution', () => {
  const dir = tempDir();
  let engine: RoomEngine;
  let room: RoomStore;
  let template: Template;

  beforeAll(async () => {
    template = (await loadReadyTemplates(join(import.meta.dirname, '..', 'templates'))).get('audience-overlap')!.template;
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    room = await engine.openRoom('match-test', { create: true });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('matches the same people written differently, by the best key both sides have', async () => {
    const { a, b, truth } = await twoPartyFiles(join(dir), { aOnly: 300, bOnly: 200, byEmail: 150, byPhone: 120, byNameZip: 110 }, {
      aColumns: () => ({ policy_type: 'home' }),
      bColumns: () => ({ plan: 'basic' }),
    });
    await room.loadCsv(a, loadPlanFor(template, 'policyholders'));
    await room.loadCsv(b, loadPlanFor(template, 'partner_customers'));
    const report = await resolveIdentity(room, template, 'policyholders', 'partner_customers');
    expect(report.byKey).toEqual([
      { key: 'email', matched: truth.byEmail },
      { key: 'phone', matched: truth.byPhone },
      { key: 'first_name+last_name+zip', matched: truth.byNameZip },
    ]);
    expect(report.matched).toBe(truth.matched);
    expect(report.people).toEqual({ policyholders: truth.aPeople, partner_customers: truth.bPeople });
    expect(report.rate.policyholders).toBeCloseTo(truth.matched / truth.aPeople, 12);
  });

  it('gives the same pairs whichever dataset comes first', async () => {
    const one = await resolveIdentity(room, template, 'policyholders', 'partner_customers');
    const pairsOne = await room.query('SELECT p_policyholders, p_partner_customers, k FROM match__partner_customers__policyholders ORDER BY 1, 2');
    const two = await resolveIdentity(room, template, 'partner_customers', 'policyholders');
    const pairsTwo = await room.query('SELECT p_policyholders, p_partner_customers, k FROM match__partner_customers__policyholders ORDER BY 1, 2');
    expect(two.matched).toBe(one.matched);
    expect(pairsTwo.rows).toEqual(pairsOne.rows);
  });

  it('resolves shared identifiers greedily, one partner per person, falling to the next key', async () => {
    const h = (s: string) => createHash('sha256').update(s).digest('hex');
    const tie = await engine.openRoom('match-ties', { create: true });
    // Without a person key, rows sharing an email are one person. b1 and b2 are two people
    // who share a phone with a1: a1 gets exactly one of them; a2 matches nobody.
    writeFileSync(join(dir, 'ta.csv'), `email,phone,first_name,last_name,zip,policy_type\n${h('x@x.com')},${h('+1')},,,,home\n${h('y@x.com')},${h('+2')},,,,home\n${h('solo@x.com')},,,,,home\n`);
    writeFileSync(join(dir, 'tb.csv'), `email,phone,first_name,last_name,zip,plan\n${h('z@x.com')},${h('+1')},,,,basic\n${h('w@x.com')},${h('+1')},,,,basic\n${h('solo@x.com')},,,,,basic\n`);
    await tie.loadCsv(join(dir, 'ta.csv'), loadPlanFor(template, 'policyholders'));
    await tie.loadCsv(join(dir, 'tb.csv'), loadPlanFor(template, 'partner_customers'));
    const report = await resolveIdentity(tie, template, 'policyholders', 'partner_customers');
    expect(report.byKey.map((k) => k.matched)).toEqual([1, 1, 0]);
    expect(report.people).toEqual({ policyholders: 3, partner_customers: 3 });
    const pairs = await tie.query('SELECT count(DISTINCT p_policyholders) AS a, count(DISTINCT p_partner_customers) AS b, count(*) AS n FROM match__partner_customers__policyholders');
    expect(pairs.rows[0]).toEqual({ a: 2, b: 2, n: 2 });
  });

  it('keeps going round by round when many people share one value, then runs the next keys again', async () => {
    const h = (s: string) => createHash('sha256').update(s).digest('hex');
    const many = await engine.openRoom('match-many', { create: true });
    // Four people on each side share one phone: greedy pairs them one by one (4 rounds, more
    // than the up-front ones). The fifth pair shares only name+zip, which must still match.
    const rowsA = [0, 1, 2, 3].map((i) => `${h(`a${i}@x.com`)},${h('+shared')},,,,home`);
    const rowsB = [0, 1, 2, 3].map((i) => `${h(`b${i}@x.com`)},${h('+shared')},,,,basic`);
    rowsA.push(`${h('a5@x.com')},,${h('ann')},${h('lee')},${h('10001')},home`);
    rowsB.push(`${h('b5@x.com')},,${h('ann')},${h('lee')},${h('10001')},basic`);
    writeFileSync(join(dir, 'ma.csv'), `email,phone,first_name,last_name,zip,policy_type\n${rowsA.join('\n')}\n`);
    writeFileSync(join(dir, 'mb.csv'), `email,phone,first_name,last_name,zip,plan\n${rowsB.join('\n')}\n`);
    await many.loadCsv(join(dir, 'ma.csv'), loadPlanFor(template, 'policyholders'));
    await many.loadCsv(join(dir, 'mb.csv'), loadPlanFor(template, 'partner_customers'));
    const report = await resolveIdentity(many, template, 'policyholders', 'partner_customers');
    expect(report.byKey.map((k) => k.matched)).toEqual([0, 4, 1]);
    const pairs = await many.query('SELECT count(DISTINCT p_policyholders) AS a, count(DISTINCT p_partner_customers) AS b FROM match__partner_customers__policyholders');
    expect(pairs.rows[0]).toEqual({ a: 5, b: 5 });
  });

  it('matches each person at most once when identifiers are shared', async () => {
    const counts = await room.query(
      'SELECT (SELECT count(*) FROM match__partner_customers__policyholders) AS pairs, (SELECT count(DISTINCT p_policyholders) FROM match__partner_customers__policyholders) AS a, (SELECT count(DISTINCT p_partner_customers) FROM match__partner_customers__policyholders) AS b',
    );
    const row = counts.rows[0]!;
    expect(row.a).toBe(row.pairs);
    expect(row.b).toBe(row.pairs);
  });
});
