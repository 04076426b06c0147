import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collaboration } from '../src/core/collaboration/collaboration.js';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import { CleanRoomError } from '../src/core/errors.js';
import { actor, roomHarness } from './helpers/room-harness.js';
import { twoPartyFiles } from './helpers/two-party-data.js';
import type { TwoPartyTruth } from './helpers/two-party-data.js';

const insurer = actor('p_insurer');
const partner = actor('p_partner');
const stranger = actor('p_stranger');

describe('audience overlap, end to end through the library', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let c: Collaboration;
  let files: { a: string; b: string; truth: TwoPartyTruth };

  beforeAll(async () => {
    const h = await roomHarness();
    room = h.room;
    close = h.close;
    c = await room.createCollaboration(insurer, { name: 'insurer x partner', template: h.template('audience-overlap'), members: { insurer: insurer.party, partner: partner.party } });
    files = await twoPartyFiles(h.dir, { aOnly: 400, bOnly: 250, byEmail: 300, byPhone: 150, byNameZip: 40 }, {
      aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }),
      bColumns: () => ({ plan: 'basic' }),
    });
  });
  afterAll(async () => close());

  it('refuses uploads before attestation and to a dataset the role does not own', async () => {
    await expect(room.upload(insurer, c.id, 'policyholders', files.a)).rejects.toMatchObject({ code: 'conflict' });
    await room.attest(insurer, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    await expect(room.upload(insurer, c.id, 'partner_customers', files.b)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses an attestation to another template digest', async () => {
    await expect(room.attest(partner, c.id, { termsVersion: c.template.terms.version, templateDigest: 'sha256:' + '0'.repeat(64) })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('answers a non-member exactly as for a collaboration that does not exist', async () => {
    const a = await room.getCollaboration(stranger, c.id).catch((e: CleanRoomError) => e);
    const b = await room.getCollaboration(stranger, 'c_nonexistent').catch((e: CleanRoomError) => e);
    expect(a).toBeInstanceOf(CleanRoomError);
    expect((a as CleanRoomError).code).toBe('not_found');
    expect((a as CleanRoomError).message.replace(c.id, 'X')).toBe((b as CleanRoomError).message.replace('c_nonexistent', 'X'));
  });

  it('waits for every dataset before running', async () => {
    await room.upload(insurer, c.id, 'policyholders', files.a);
    await expect(room.run(insurer, c.id, 'overlap', {})).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('waiting for dataset partner_customers') });
  });

  it('reports the true overlap per key, as a share of each side, the same for both parties', async () => {
    await room.attest(partner, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    await room.upload(partner, c.id, 'partner_customers', files.b);
    const mine = await room.run(insurer, c.id, 'overlap', {});
    const theirs = await room.run(partner, c.id, 'overlap', {});
    const { truth } = files;
    expect(mine.status).toBe('released');
    const overall = mine.result!.tables.overall!.rows[0]!;
    expect(overall.people).toBe(truth.matched);
    expect(overall.share_of_policyholders).toBeCloseTo(truth.matched / truth.aPeople, 12);
    expect(overall.share_of_partner_customers).toBeCloseTo(truth.matched / truth.bPeople, 12);
    // The name+zip key matched only 40 people: below 100, it is held back, and so is the
    // next smallest key (150), so that overall minus the released keys reveals 190, not 40.
    expect(mine.result!.tables.byKey!.rows.map((r) => [r.key, r.people])).toEqual([['email', truth.byEmail]]);
    expect(mine.result!.tables.byKey!.suppressed).toMatchObject({ rows: null, belowMinimum: null, complementary: null });
    expect(theirs.result!.tables).toEqual(mine.result!.tables);
  });

  it('breaks the overlap down by a dimension', async () => {
    const run = await room.run(insurer, c.id, 'overlap', { group_by: ['policyholders.policy_type'] });
    const rows = run.result!.tables.overall!.rows;
    expect(rows.map((r) => r['policyholders.policy_type']).sort()).toEqual(['auto', 'home']);
    expect(rows.reduce((s, r) => s + Number(r.people), 0)).toBe(files.truth.matched);
  });

  it('refuses parameters outside the template, naming the problem, and runs nothing', async () => {
    const error = await room.run(insurer, c.id, 'overlap', { group_by: ['partner_customers.email'] }).catch((e: CleanRoomError) => e);
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect((error as CleanRoomError).details.problems).toBeDefined();
    await expect(room.run(insurer, c.id, 'overlap', { sql: 'select 1' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('keeps a verifiable audit log of every action, refusals included, with no identifier in it', async () => {
    const events = await room.auditEvents(partner, c.id);
    const actions = events.map((e) => `${e.action}:${e.decision ?? ''}`);
    expect(actions).toContain('create_collaboration:accepted');
    expect(actions).toContain('upload:refused');
    expect(actions).toContain('attest:refused');
    expect(actions).toContain('run:released');
    expect(actions).toContain('run:refused');
    expect(JSON.stringify(events)).not.toMatch(/[0-9a-f]{64}(?!")|@/);
    expect(await room.verifyAudit(insurer, c.id)).toMatchObject({ ok: true, count: events.length });
  });
});
