import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../src/core/errors.js';
import { retailDpFiles } from './helpers/dp-ledger-template.js';
import { serverHarness } from './server/server-harness.js';
import { cliInProcess as cli } from './helpers/cli-in-process.js';
import type { ServerHarness } from './server/server-harness.js';

describe('cleanroom budget and run --preview against a real server on 127.0.0.1', () => {
  let h: ServerHarness;
  let server: ReturnType<typeof serve>;
  let url: string;
  let cid: string;
  let retailer: { id: string; apiKey: string };
  const as = (p: { apiKey: string }) => ['--server', url, '--api-key', p.apiKey];

  beforeAll(async () => {
    h = await serverHarness();
    server = serve({ port: 0, hostname: '127.0.0.1', fetch: h.app.fetch });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    retailer = await h.party('Retailer');
    const publisher = await h.party('Publisher');
    const created = await cli(['collab', 'create', '--name', 'dp', '--template', 'retail-media-insights-dp', '--member', `retailer=${retailer.id}`, '--member', `publisher=${publisher.id}`, ...as(retailer), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const c = JSON.parse(created.stdout) as { id: string; templateDigest: string };
    cid = c.id;
    for (const p of [retailer, publisher]) expect((await cli(['attest', cid, ...as(p)])).code).toBe(0);
    const files = retailDpFiles(h.dir);
    const put = (p: { apiKey: string }, dataset: string, path: string) => h.call('PUT', `/v1/collaborations/${cid}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(path), headers: { 'content-type': 'text/csv' } });
    expect((await put(publisher, 'readers', files.readers)).status).toBe(201);
    expect((await put(retailer, 'purchases', files.purchases)).status).toBe(201);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('prints the budget as a table, and as the API JSON with --json', async () => {
    const human = await cli(['budget', cid, ...as(retailer)]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('differential privacy, laplace mechanism');
    expect(human.stdout).toContain('ε=10, δ=0.00001 for the collaboration, ε=6, δ=0.00001 per party, refreshed every 30 days');
    expect(human.stdout).toMatch(/remaining until \S+: ε=6, δ=[^ ,]+ for your party/);
    expect(human.stdout).toMatch(/spend_by_segment\s+ε=0\.5\s+≤ 3 rows of the result, ≤ 10 of their rows in each; purchases\.amount total in \[0, 1500\]/);
    const json = JSON.parse((await cli(['budget', cid, ...as(retailer), '--json'])).stdout) as { enabled: boolean; analyses: Record<string, { cost: string }> };
    expect(json.enabled).toBe(true);
    expect(json.analyses.overlap?.cost).toBe('ε=0.3');
  });

  it('previews, runs with the cost and what remains, and says "cached from" on the same question again', async () => {
    const preview = await cli(['run', cid, 'overlap', '--preview', ...as(retailer)]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^preview overlap: allowed — costs ε=0\.3; would leave ε=5\.7, .* for your party, ε=9\.7, .* for the collaboration/);
    const first = await cli(['run', cid, 'overlap', ...as(retailer)]);
    expect(first.code, first.stderr).toBe(0);
    const runId = /^run (\S+)/.exec(first.stdout)![1]!;
    expect(first.stdout).toMatch(/privacy: a run costs ε=0\.3, charged ε=0\.3; remaining ε=5\.7, .* for your party/);
    expect(first.stdout).toMatch(/\(people: .*95%.*; each row's interval in people\.low \/ people\.high with --json\)/);
    const again = await cli(['run', cid, 'overlap', ...as(retailer)]);
    expect(again.stdout).toContain(`cached from ${runId}`);
    expect(again.stdout).toContain('nothing charged');
    const cachedPreview = await cli(['run', cid, 'overlap', '--preview', ...as(retailer), '--json']);
    expect(JSON.parse(cachedPreview.stdout)).toMatchObject({ cached: true, cachedFrom: runId, allowed: true, charged: { epsilon: 0, delta: 0, rho: 0 } });
  });

  it('takes the sql parameter from --sql-file or --sql, one way only', async () => {
    const file = join(h.dir, 'query.sql');
    writeFileSync(file, 'SELECT r.segment, count(DISTINCT p.email) AS buyers FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.segment');
    const fromFile = await cli(['run', cid, 'custom_sql', '--sql-file', file, '--preview', ...as(retailer), '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ analysis: 'custom_sql', dp: true, cost: 'ε=1, δ=1e-7', allowed: true });
    const inline = await cli(['run', cid, 'custom_sql', '--sql', 'SELECT r.age_band, count(*) AS n FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.age_band', '--preview', ...as(retailer)]);
    expect(inline.code, inline.stderr).toBe(0);
    expect(inline.stdout).toMatch(/preview custom_sql: allowed — costs ε=1, δ=1e-7/);
    // A query the rules refuse is refused at preview, with the rule, before anything runs.
    const refused = await cli(['run', cid, 'custom_sql', '--sql', 'SELECT 1 AS one', '--preview', ...as(retailer)]);
    expect(refused.code).toBe(77);
    expect(refused.stderr).toContain('rule no-table');
    const both = await cli(['run', cid, 'custom_sql', '--sql', 'SELECT 1', '--sql-file', file, ...as(retailer)]);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('Cannot set the sql parameter with --sql and --sql-file');
    const missing = await cli(['run', cid, 'custom_sql', '--sql-file', join(h.dir, 'nope.sql'), ...as(retailer)]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('nope.sql: no such file');
    const none = await cli(['run', cid, 'custom_sql', '--preview', ...as(retailer)]);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/sql/);
  });

  it('prints a refusal by the budget with what remains, and exits with the refused code', async () => {
    // The retailer's ε=6 per period: spend it on distinct questions until one is refused.
    let refused: { code: number; stderr: string } | undefined;
    for (let day = 1; day <= 25 && refused === undefined; day++) {
      const r = await cli(['run', cid, 'spend_by_segment', '--param', `from=2024-02-${String(day).padStart(2, '0')}`, ...as(retailer)]);
      if (r.code !== 0) refused = r;
    }
    expect(refused).toBeDefined();
    expect(refused!.code).toBe(exitCodeFor('refused'));
    expect(refused!.stderr).toMatch(/cleanroom: Cannot run this analysis as party \S+: it costs ε=0\.5, and ε=[0-9.]+, .* remains of the party's budget this period/);
    const budget = await cli(['run', cid, 'spend_by_segment', '--param', 'from=2024-03-30', '--preview', ...as(retailer)]);
    expect(budget.stdout).toMatch(/^preview spend_by_segment: refused — Cannot run this analysis/);
  });
});
