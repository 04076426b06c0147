import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindReady, toHex, newBlindKey, blind, hashToGroup } from '../src/core/identity/blind/index.js';
import { keyCheck } from '../src/core/identity/blind/exchange/index.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';

const a = actor('p_a');
const b = actor('p_b');

function doubleBlindTemplate(): Template {
  const key = { type: 'string', identifier: 'email', required: true, description: 'The join key.' };
  const result = validateTemplate({
    name: 'double-blind-overlap',
    title: 'Double-blind overlap',
    description: 'Overlap of two customer lists, matched double-blind.',
    version: '1.0.0',
    roles: {
      a: { abilities: ['contributes', 'runs', 'receives'], description: 'One side.' },
      b: { abilities: ['contributes', 'runs', 'receives'], description: 'The other side.' },
    },
    datasets: {
      a_keys: { owner: 'a', description: 'Keys.', columns: { key } },
      b_keys: { owner: 'b', description: 'Keys.', columns: { key } },
    },
    identity: { profile: 'default', hashing: 'double-blind', matchKeys: [['email']] },
    analyses: { overlap: { kind: 'overlap', description: 'Overlap.', datasets: ['a_keys', 'b_keys'], runs: ['a', 'b'], receives: ['a', 'b'], params: {} } },
    privacy: { minPeople: 2, rounding: null, reviewBy: [], dp: null },
    retentionDays: 30,
    terms: { version: '1', text: 'Use the result for this check only.' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

describe('a double-blind collaboration', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  beforeAll(async () => {
    h = await roomHarness();
  });
  afterAll(async () => h.close());

  it('is a valid template, and a plain upload to it (no key check) is refused, not re-keyed as digests, and audited', async () => {
    const c = await h.room.createCollaboration(a, { name: 'db', template: doubleBlindTemplate(), members: { a: a.party, b: b.party } });
    for (const p of [a, b]) await h.room.attest(p, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
    const file = join(h.dir, 'a.csv');
    writeFileSync(file, `key\n${'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76'}\n`);
    await expect(h.room.upload(a, c.id, 'a_keys', file)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('must come with your key check') });
    const audit = await h.room.auditEvents(a, c.id);
    expect(audit.at(-1)).toMatchObject({ action: 'upload', decision: 'refused' });
  });

  it('forgets an upload still waiting for the other party once the retention period is over, with its singles', async () => {
    await blindReady();
    const c = await h.room.createCollaboration(a, { name: 'db-retention', template: doubleBlindTemplate(), members: { a: a.party, b: b.party } });
    for (const p of [a, b]) await h.room.attest(p, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
    const key = newBlindKey();
    const file = join(h.dir, 'a-single.csv');
    writeFileSync(file, `key\n${toHex(blind(hashToGroup('jane@example.com'), key))}\n`);
    const pending = await h.room.uploadBlind(a, c.id, 'a_keys', file, toHex(keyCheck(key)));
    expect(pending).toMatchObject({ status: 'awaiting_blinding', upload: 1, singles: 1, batches: 1 });
    const dir = join(h.dataDir, 'blind', c.id, '1-a_keys');
    expect(existsSync(dir)).toBe(true);
    await h.room.enforceRetention(new Date(Date.now() + 29 * 86_400_000));
    expect((await h.room.blindStatus(b, c.id)).toBlind).toHaveLength(1);
    await h.room.enforceRetention(new Date(Date.now() + 31 * 86_400_000));
    expect(await h.room.blindStatus(b, c.id)).toEqual({ keyCheckRegistered: false, toBlind: [], mine: [] });
    expect(existsSync(dir)).toBe(false);
    const audit = await h.room.auditEvents(a, c.id);
    expect(audit.at(-1)).toMatchObject({ action: 'expire', params: { blindUploads: ['1-a_keys'] } });
  });
});
