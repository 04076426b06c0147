import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPartyFiles } from './helpers/two-party-data.js';
import { serverHarness } from './server/server-harness.js';
import { cliInProcess as cli } from './helpers/cli-in-process.js';
import type { ServerHarness } from './server/server-harness.js';

describe('the CLI client against a real server on 127.0.0.1', () => {
  let h: ServerHarness;
  let server: ReturnType<typeof serve>;
  let url: string;
  const received: string[] = [];

  beforeAll(async () => {
    h = await serverHarness();
    server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (request: Request) => {
        if (request.method === 'PUT') received.push(await request.clone().text());
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

  it('party create -> collab create -> attest -> upload (prepared here) -> run -> audit verify', async () => {
    const op = ['--server', url, '--api-key', h.operatorKey];
    const insurer = JSON.parse((await cli(['party', 'create', 'Insurer', ...op, '--json'])).stdout) as { id: string; apiKey: string };
    const partner = JSON.parse((await cli(['party', 'create', 'Partner', ...op, '--json'])).stdout) as { id: string; apiKey: string };
    const listed = await cli(['party', 'list', ...op]);
    expect(listed.stdout).toContain('Insurer');
    const as = (p: { apiKey: string }) => ['--server', url, '--api-key', p.apiKey];

    const created = await cli(['collab', 'create', '--name', 'cli', '--template', 'audience-overlap', '--member', `insurer=${insurer.id}`, '--member', `partner=${partner.id}`, ...as(insurer), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const cid = (JSON.parse(created.stdout) as { id: string }).id;
    expect((await cli(['collab', 'list', ...as(partner)])).stdout).toContain(cid);

    const files = await twoPartyFiles(h.dir, { aOnly: 300, bOnly: 200, byEmail: 250, byPhone: 120, byNameZip: 30 }, {
      aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }),
      bColumns: () => ({ plan: 'basic' }),
    });
    const early = await cli(['upload', cid, 'policyholders', join(h.dir, 'a.raw.csv'), '--workers', '0', ...as(insurer)]);
    expect(early.code).toBe(75);
    expect(early.stderr).toContain('attest');

    for (const p of [insurer, partner]) expect((await cli(['attest', cid, ...as(p)])).code).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.dir, 'wrong.csv'), 'E-mail Address,Policy\njane@example.com,home\n');
    const wrong = await cli(['upload', cid, 'policyholders', join(h.dir, 'wrong.csv'), '--workers', '0', ...as(insurer)]);
    expect(wrong.code).toBe(65);
    expect(wrong.stderr).toContain('csv-template');
    const up = await cli(['upload', cid, 'policyholders', join(h.dir, 'a.raw.csv'), '--workers', '0', ...as(insurer)]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`${files.truth.aPeople} stored`);
    expect((await cli(['upload', cid, 'partner_customers', join(h.dir, 'b.raw.csv'), '--workers', '0', '--gzip', ...as(partner)])).code).toBe(0);
    const plain = received.filter((body) => body.startsWith('policy_type') || body.includes('email'));
    expect(plain.length).toBeGreaterThan(0);
    for (const body of plain) expect(body).not.toContain('@');

    const run = await cli(['run', cid, 'overlap', ...as(insurer), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string; result: { tables: { overall: { rows: { people: number }[] } } } };
    expect(result.status).toBe('released');
    expect(result.result.tables.overall.rows[0]!.people).toBe(files.truth.matched);
    expect((await cli(['result', cid, result.id, ...as(partner)])).stdout).toContain('overall:');

    const verify = await cli(['audit', cid, '--verify', ...as(partner)]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verified');
    expect((await cli(['audit', cid, ...as(insurer)])).stdout).toContain('upload');
    const metrics = await cli(['metrics', ...op, '--json']);
    expect((JSON.parse(metrics.stdout) as { runs: number }).runs).toBe(1);
  });

  it("exits non-zero with the server's message on errors", async () => {
    const missing = await cli(['collab', 'show', 'c_nope', '--server', url, '--api-key', h.operatorKey]);
    expect(missing.code).toBe(77);
    expect(missing.stderr).toContain('operator');
    const unknown = await cli(['collab', 'show', 'c_nope', '--server', url], { CLEANROOM_API_KEY: 'crk_k0000000000000000_xxx' });
    expect(unknown.code).toBe(77);
    expect(unknown.stderr).toContain('Cannot authenticate');
    const json = await cli(['metrics', '--server', url, '--api-key', 'nope', '--json']);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'forbidden' } });
    const noKey = await cli(['metrics', '--server', url]);
    expect(noKey.code).toBe(64);
    const down = await cli(['metrics', '--server', 'http://127.0.0.1:1', '--api-key', 'x']);
    expect(down.code).toBe(74);
  });
});
