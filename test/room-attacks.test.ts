import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collaboration } from '../src/core/collaboration/collaboration.js';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import type { MemoryCollaborationStore } from '../src/core/collaboration/collaboration-store.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';
import { twoPartyFiles } from './helpers/two-party-data.js';

const insurer = actor('p_insurer');
const partner = actor('p_partner');
const mallory = actor('p_mallory');

/** The overlap template, changed so that only the insurer receives results. */
function insurerOnlyTemplate(): Template {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'templates', 'audience-overlap.json'), 'utf8')) as { analyses: { overlap: { receives: string[] } } };
  json.analyses.overlap.receives = ['insurer'];
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

describe('attacks on the room through the library', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let c: Collaboration;
  let other: Collaboration;
  let runId: string;
  let store: MemoryCollaborationStore;

  beforeAll(async () => {
    const h = await roomHarness();
    ({ room, close, store } = h);
    c = await room.createCollaboration(insurer, { name: 'c', template: insurerOnlyTemplate(), members: { insurer: insurer.party, partner: partner.party } });
    other = await room.createCollaboration(mallory, { name: 'mallory', template: h.template('audience-overlap'), members: { insurer: mallory.party, partner: partner.party } });
    for (const p of [insurer, partner]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const files = await twoPartyFiles(h.dir, { aOnly: 100, bOnly: 100, byEmail: 300, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) });
    await room.upload(insurer, c.id, 'policyholders', files.a);
    await room.upload(partner, c.id, 'partner_customers', files.b);
    runId = (await room.run(partner, c.id, 'overlap', {})).id;
  });
  afterAll(async () => close());

  it('gives a runner who does not receive the status, never the result', async () => {
    const run = await room.getRun(partner, c.id, runId);
    expect(run.status).toBe('released');
    expect(run.result).toBeNull();
    expect((await room.getRun(insurer, c.id, runId)).result).not.toBeNull();
  });

  it('does not find a run through another collaboration, nor a collaboration through a non-member', async () => {
    await expect(room.getRun(mallory, other.id, runId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.getRun(mallory, c.id, runId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.run(mallory, c.id, 'overlap', {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.auditEvents(mallory, c.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await room.listCollaborations(mallory)).map((x) => x.id)).toEqual([other.id]);
  });

  it('refuses values that try to smuggle SQL or reach an identifier through parameters', async () => {
    for (const params of [
      { group_by: ["policyholders.policy_type'; DROP TABLE policyholders; --"] },
      { group_by: ['policyholders.email'] },
      { group_by: ['policyholders.policy_type', 'policyholders.policy_type'] },
      { group_by: 'policyholders.policy_type' },
      JSON.parse('{"__proto__": {"group_by": ["policyholders.email"]}}'),
      { constructor: 1 },
    ]) {
      await expect(room.run(insurer, c.id, 'overlap', params)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(room.run(insurer, c.id, 'constructor', {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.run(insurer, c.id, '__proto__', {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(room.upload(insurer, c.id, 'constructor', '/etc/passwd')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to use a collaboration whose stored template was loosened after attestation', async () => {
    const stored = (await store.getCollaboration(c.id))!;
    const loosened = JSON.parse(JSON.stringify(stored)) as Collaboration;
    (loosened.template.privacy as { minPeople: number }).minPeople = 2;
    await store.putCollaboration(loosened);
    await expect(room.run(insurer, c.id, 'overlap', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('does not match its digest') });
    await store.putCollaboration(stored);
    await expect(room.run(insurer, c.id, 'overlap', {})).resolves.toMatchObject({ status: 'released' });
  });

  it('audits every refusal above', async () => {
    const events = await room.auditEvents(insurer, c.id);
    expect(events.filter((e) => e.decision === 'refused').length).toBeGreaterThanOrEqual(8);
    expect(await room.verifyAudit(partner, c.id)).toMatchObject({ ok: true });
  });
});
