import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actor, roomHarness } from './helpers/room-harness.js';
import { twoPartyFiles } from './helpers/two-party-data.js';

const insurer = actor('p_insurer');
const partner = actor('p_partner');

describe('the room under concurrent calls', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  beforeAll(async () => {
    h = await roomHarness();
  });
  afterAll(async () => h.close());

  it('keeps both datasets when two parties upload at the same moment, and both runs agree', async () => {
    const c = await h.room.createCollaboration(insurer, { name: 'race', template: h.template('audience-overlap'), members: { insurer: insurer.party, partner: partner.party } });
    await Promise.all([insurer, partner].map((p) => h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest })));
    const files = await twoPartyFiles(h.dir, { aOnly: 100, bOnly: 100, byEmail: 200, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) });
    await Promise.all([h.room.upload(insurer, c.id, 'policyholders', files.a), h.room.upload(partner, c.id, 'partner_customers', files.b)]);
    const stored = await h.room.getCollaboration(insurer, c.id);
    expect(Object.keys(stored.datasets).sort()).toEqual(['partner_customers', 'policyholders']);
    expect(stored.attestations).toHaveLength(2);
    const runs = await Promise.all([h.room.run(insurer, c.id, 'overlap', {}), h.room.run(partner, c.id, 'overlap', {}), h.room.run(insurer, c.id, 'overlap', {})]);
    for (const run of runs) expect(run.result!.tables.overall!.rows[0]!.people).toBe(200);
    expect(await h.room.verifyAudit(partner, c.id)).toMatchObject({ ok: true });
  });
});
