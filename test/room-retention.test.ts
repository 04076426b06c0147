import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, roomHarness } from './helpers/room-harness.js';
import { twoPartyFiles } from './helpers/two-party-data.js';

const insurer = actor('p_insurer');
const partner = actor('p_partner');
const DAY = 86_400_000;

describe('retention', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  beforeAll(async () => {
    h = await roomHarness();
  });
  afterAll(async () => h.close());

  it('deletes dataset versions older than the template retention, with what was built from them, and audits it', async () => {
    const c = await h.room.createCollaboration(insurer, { name: 'r', template: h.template('audience-overlap'), members: { insurer: insurer.party, partner: partner.party } });
    for (const p of [insurer, partner]) await h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const files = await twoPartyFiles(h.dir, { aOnly: 50, bOnly: 50, byEmail: 150, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) });
    await h.room.upload(insurer, c.id, 'policyholders', files.a);
    await h.room.upload(partner, c.id, 'partner_customers', files.b);
    expect((await h.room.run(insurer, c.id, 'overlap', {})).status).toBe('released');
    const days = c.template.retentionDays;

    expect(await h.room.enforceRetention(new Date(Date.now() + (days - 1) * DAY))).toBe(0);
    expect(await h.room.enforceRetention(new Date(Date.now() + (days + 1) * DAY))).toBe(2);

    const after = await h.room.getCollaboration(insurer, c.id);
    expect(after.datasets).toEqual({});
    expect(after.matches).toEqual({});
    await expect(h.room.run(insurer, c.id, 'overlap', {})).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('waiting for dataset') });
    const events = await h.room.auditEvents(partner, c.id);
    expect(events.at(-2)).toMatchObject({ action: 'expire', actor: { party: 'system' }, params: { versions: ['partner_customers@1', 'policyholders@1'] } });
    expect(await h.room.verifyAudit(insurer, c.id)).toMatchObject({ ok: true });

    // Uploading again brings the collaboration back to life.
    await h.room.upload(insurer, c.id, 'policyholders', files.a);
    await h.room.upload(partner, c.id, 'partner_customers', files.b);
    const again = await h.room.run(partner, c.id, 'overlap', {});
    expect(again.result!.tables.overall!.rows[0]!.people).toBe(150);
  });
});
