import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPartyFiles } from './helpers/two-party-data.js';
import { serverHarness } from './server/server-harness.js';
import { cliInProcess as cli } from './helpers/cli-in-process.js';
import type { ServerHarness } from './server/server-harness.js';

// Issue 13, step 2 with the CLI on both sides: keygen --blind, collab create --hashing
// double-blind, upload --key-file, and `blind sync`, cut off mid-way by the network and run
// again; the room loads each side when its last batch is answered.
describe('cleanroom blind sync against a real server on 127.0.0.1', () => {
  let h: ServerHarness;
  let server: ReturnType<typeof serve>;
  let url: string;
  /** When set, the n-th batch answer from here on fails as a dropped connection would. */
  let failAnswer: number | undefined;
  let answers = 0;
  const bodies: string[] = [];

  beforeAll(async () => {
    h = await serverHarness({ blindBatchSize: 50 });
    server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (request: Request) => {
        if (request.method === 'PUT') bodies.push(await request.clone().text());
        if (request.method === 'PUT' && /\/blind\/[^/]+\/\d+\/\d+$/.test(new URL(request.url).pathname)) {
          answers++;
          if (failAnswer !== undefined && answers === failAnswer) return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'the connection dropped' } }), { status: 503, headers: { 'content-type': 'application/json' } });
        }
        return h.app.fetch(request);
      },
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('matches two CLI parties double-blind, resuming a sync cut off mid-way', async () => {
    const op = ['--server', url, '--api-key', h.operatorKey];
    const insurer = JSON.parse((await cli(['party', 'create', 'Insurer', ...op, '--json'])).stdout) as { id: string; apiKey: string };
    const partner = JSON.parse((await cli(['party', 'create', 'Partner', ...op, '--json'])).stdout) as { id: string; apiKey: string };
    const as = (p: { apiKey: string }) => ['--server', url, '--api-key', p.apiKey];
    const keys = { a: join(h.dir, 'a.key'), b: join(h.dir, 'b.key') };
    for (const path of Object.values(keys)) expect((await cli(['keygen', '--blind', '--output', path])).code).toBe(0);

    const created = await cli(['collab', 'create', '--name', 'db', '--template', 'audience-overlap', '--hashing', 'double-blind', '--member', `insurer=${insurer.id}`, '--member', `partner=${partner.id}`, ...as(insurer), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const cid = (JSON.parse(created.stdout) as { id: string }).id;
    for (const p of [insurer, partner]) expect((await cli(['attest', cid, ...as(p)])).code).toBe(0);
    const files = await twoPartyFiles(h.dir, { aOnly: 100, bOnly: 80, byEmail: 150, byPhone: 120, byNameZip: 115 }, {
      aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }),
      bColumns: () => ({ plan: 'basic' }),
    });

    const keyless = await cli(['upload', cid, 'policyholders', files.a, '--workers', '0', ...as(insurer)]);
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('blind key is needed');
    const up = await cli(['upload', cid, 'policyholders', files.a, '--workers', '0', '--key-file', keys.a, ...as(insurer)]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/waits for the other party's blinding in \d+ batches/);
    expect((await cli(['upload', cid, 'partner_customers', files.b, '--workers', '0', '--key-file', keys.b, '--gzip', ...as(partner)])).code).toBe(0);

    // The partner's sync is cut off at its third answer; it exits with the error…
    failAnswer = answers + 3;
    const cut = await cli(['blind', 'sync', cid, '--key-file', keys.b, '--workers', '2', ...as(partner)]);
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toContain('the connection dropped');
    failAnswer = undefined;
    // …and goes on from what still waits when run again.
    const status = await cli(['blind', 'sync', cid, '--key-file', keys.b, '--workers', '2', ...as(partner), '--json']);
    expect(status.code, status.stderr).toBe(0);
    const summary = JSON.parse(status.stdout) as { answered: number; loaded: { dataset: string; rowsStored: number }[]; mine: unknown[] };
    expect(summary.loaded).toEqual([{ dataset: 'policyholders', version: 1, rowsStored: files.truth.aPeople }]);
    expect(summary.mine).toHaveLength(1);
    // A sync with another key than the partner's upload is refused before it blinds anything.
    expect((await cli(['keygen', '--blind', '--output', join(h.dir, 'other.key')])).code).toBe(0);
    const wrongKey = await cli(['blind', 'sync', cid, '--key-file', join(h.dir, 'other.key'), ...as(partner)]);
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).toContain('another key');

    const insurerSync = await cli(['blind', 'sync', cid, '--key-file', keys.a, ...as(insurer), '--json']);
    expect(insurerSync.code, insurerSync.stderr).toBe(0);
    expect((JSON.parse(insurerSync.stdout) as { loaded: unknown[]; mine: unknown[] }).loaded).toHaveLength(1);

    const run = await cli(['run', cid, 'overlap', ...as(insurer), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { result: { tables: { overall: { rows: { people: number }[] } } } };
    expect(result.result.tables.overall.rows[0]!.people).toBe(files.truth.matched);
    // No key file's secret ever travelled.
    for (const path of [keys.a, keys.b]) {
      const secret = readFileSync(path, 'utf8').trim().split(':')[1]!;
      for (const body of bodies) expect(body).not.toContain(secret);
    }
  });
});
