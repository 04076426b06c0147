import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifierKind } from '../src/core/identity/identifier-kind.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';

// ../shared/truth: google/private-join-and-compute's README example and facebookresearch/Private-ID's
// PJC example (MANIFEST.md §3): intersection size and the sum of the client's values over it.
const TRUTH = resolve(import.meta.dirname, '../../shared/truth');
const server = actor('p_server');
const client = actor('p_client');

/** A two-party intersection-sum template: minimum 2 people, raw keys hashed in the room. */
function psiTemplate(kind: IdentifierKind): Template {
  const key = { type: 'string', identifier: kind, required: true, description: 'The join key.' };
  const result = validateTemplate({
    name: 'intersection-sum',
    title: 'Intersection size and sum',
    description: 'Private join and compute: how many keys both sides hold, and the sum of the client values over them.',
    version: '1.0.0',
    roles: {
      server: { abilities: ['contributes', 'runs', 'receives'], description: 'Holds keys.' },
      client: { abilities: ['contributes', 'runs', 'receives'], description: 'Holds keys with values.' },
    },
    datasets: {
      server_keys: { owner: 'server', description: 'Keys.', columns: { key } },
      client_values: { owner: 'client', description: 'Keys and values.', columns: { key, value: { type: 'integer', role: 'measure', required: true, description: 'A value.' } } },
    },
    identity: { profile: 'default', hashing: 'room', matchKeys: [[kind]] },
    analyses: {
      intersection_sum: {
        kind: 'aggregate',
        description: 'Intersection size and sum.',
        datasets: ['server_keys', 'client_values'],
        runs: ['server', 'client'],
        receives: ['server', 'client'],
        measures: ['client_values.value'],
        params: {},
      },
    },
    privacy: { minPeople: 2, rounding: null, reviewBy: [], dp: null },
    retentionDays: 30,
    terms: { version: '1', text: 'Use the result for this check only.' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

describe('intersection size and sum against published PSI examples', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  beforeAll(async () => {
    h = await roomHarness();
  });
  afterAll(async () => h.close());

  const run = async (kind: IdentifierKind, serverKeys: string[], clientRows: string[]) => {
    const c = await h.room.createCollaboration(server, { name: 'psi', template: psiTemplate(kind), members: { server: server.party, client: client.party } });
    for (const p of [server, client]) await h.room.attest(p, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
    const a = join(h.dir, `${c.id}-server.csv`);
    const b = join(h.dir, `${c.id}-client.csv`);
    writeFileSync(a, `key\n${serverKeys.join('\n')}\n`);
    writeFileSync(b, `key,value\n${clientRows.join('\n')}\n`);
    await h.room.upload(server, c.id, 'server_keys', a);
    await h.room.upload(client, c.id, 'client_values', b);
    const result = await h.room.run(client, c.id, 'intersection_sum', {});
    return result.result!.tables.intersection_sum!.rows[0]!;
  };
  const lines = (path: string) => readFileSync(join(TRUTH, path), 'utf8').trim().split('\n');

  it('private-join-and-compute README: intersection 2, sum 40', async () => {
    const expected = JSON.parse(readFileSync(join(TRUTH, 'private-join-and-compute/readme_example/expected.json'), 'utf8')) as { intersection_size: number; intersection_sum: number };
    const row = await run('external_id', lines('private-join-and-compute/readme_example/server_data.csv'), lines('private-join-and-compute/readme_example/client_data.csv'));
    expect(row.people).toBe(expected.intersection_size);
    expect(Number(row['client_values.value.sum'])).toBe(expected.intersection_sum);
  });

  it('Private-ID PJC example: intersection 3, sum 70 (derived)', async () => {
    const company = lines('Private-ID/etc/example/pjc_company.csv').map((l) => l.split(',')[0]!);
    const row = await run('email', company, lines('Private-ID/etc/example/pjc_partner.csv'));
    expect(row.people).toBe(3);
    expect(Number(row['client_values.value.sum'])).toBe(70);
  });
});
