import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleanRoom } from '../src/core/room/clean-room.js';
import type { Collaboration } from '../src/core/collaboration/collaboration.js';
import type { Template } from '../src/core/template/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';
import { dpTemplateJson, matched, purchases, readers, templateOf } from './helpers/sql-room-data.js';

// Custom SQL end to end through the library: collaboration, attestations, uploads, runs.

const retailer = actor('p_retailer');
const publisher = actor('p_publisher');
const JOIN = 'FROM purchases p JOIN readers r ON p.email = r.email';

describe('custom SQL through the clean room', () => {
  let room: CleanRoom;
  let close: () => Promise<void>;
  let dir: string;

  const setUp = async (template: Template): Promise<Collaboration> => {
    const c = await room.createCollaboration(retailer, { name: `sql-${template.privacy.dp === null ? 'plain' : 'dp'}`, template, members: { retailer: retailer.party, publisher: publisher.party } });
    for (const p of [retailer, publisher]) await room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const readerFile = join(dir, `readers-${c.id}.csv`);
    writeFileSync(readerFile, ['email,phone,segment,age_band', ...readers.map((r) => `${r.email},,${r.segment},${r.ageBand}`)].join('\n') + '\n');
    const purchaseFile = join(dir, `purchases-${c.id}.csv`);
    writeFileSync(
      purchaseFile,
      ['customer_id,email,phone,category,store,amount,purchased_at', ...purchases.map((p) => `${p.customerId},${p.email},,${p.category},${p.store},${(p.cents / 100).toFixed(2)},${p.day}T12:00:00Z`)].join('\n') + '\n',
    );
    await room.upload(publisher, c.id, 'readers', readerFile);
    await room.upload(retailer, c.id, 'purchases', purchaseFile);
    return c;
  };

  beforeAll(async () => {
    ({ room, close, dir } = await roomHarness());
  });
  afterAll(async () => close());

  it('runs the retailer’s own SQL, thresholded, and refuses a query against the rules', async () => {
    const json = dpTemplateJson();
    json.privacy = { ...json.privacy, dp: null, minPeople: 20 };
    for (const analysis of Object.values(json.analyses) as Record<string, unknown>[]) delete analysis.dp;
    const c = await setUp(templateOf(json));
    const run = await room.run(retailer, c.id, 'custom_sql', { sql: `SELECT r.segment, count(DISTINCT p.email) AS buyers ${JOIN} GROUP BY r.segment` });
    expect(run.status).toBe('released');
    const rows = [...run.result!.tables.custom_sql!.rows].sort((a, b) => String(a.segment).localeCompare(String(b.segment)));
    const buyers = (segment: string) => new Set(matched.filter((m) => m.r.segment === segment).map((m) => m.p.email)).size;
    expect(rows).toEqual(['lifestyle', 'news', 'sport'].map((segment) => ({ segment, buyers: buyers(segment) })));
    await expect(room.run(retailer, c.id, 'custom_sql', { sql: `SELECT r.email, count(*) AS n ${JOIN} GROUP BY r.email` })).rejects.toMatchObject({
      code: 'refused',
      details: { refusal: { rule: 'identifier-column', column: 'readers.email' } },
    });
    // The publisher may not run the retailer's analysis at all.
    await expect(room.run(publisher, c.id, 'custom_sql', { sql: `SELECT count(*) AS n ${JOIN}` })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('under DP: noisy rows with intervals, the cost charged to the ledger', async () => {
    const c = await setUp(templateOf(dpTemplateJson()));
    const run = await room.run(retailer, c.id, 'custom_sql', { sql: `SELECT r.segment, count(*) AS purchases, sum(p.amount) AS spend ${JOIN} GROUP BY r.segment` });
    expect(run.status).toBe('released');
    const table = run.result!.tables.custom_sql!;
    expect(table.rows).toHaveLength(5);
    expect(table.rows[0]).toHaveProperty('spend.low');
    expect(table.noise!.spend!.confidence).toBe(0.95);
    expect(run.result!.privacy).toMatchObject({ mechanism: 'laplace', charged: { epsilon: 1 } });
    const pre = await room.run(publisher, c.id, 'category_spend_for_age', { age_band: '25-34' });
    expect(pre.result!.tables.category_spend_for_age!.rows).toHaveLength(6);
    expect(pre.result!.privacy).toMatchObject({ charged: { epsilon: 0.5 } });
  });

  it('previews refuse what a run would refuse, with the same rule, and charge nothing', async () => {
    const c = await setUp(templateOf(dpTemplateJson()));
    const before = await room.privacyBudget(retailer, c.id);
    await expect(room.previewRun(retailer, c.id, 'custom_sql', { sql: `SELECT p.email, count(*) AS n ${JOIN} GROUP BY p.email` })).rejects.toMatchObject({
      code: 'refused',
      details: { refusal: { rule: 'identifier-column', column: 'purchases.email' } },
    });
    // The DP rewrite's own refusals too (HAVING chooses groups by their true values).
    await expect(room.previewRun(retailer, c.id, 'custom_sql', { sql: `SELECT r.segment, count(*) AS n ${JOIN} GROUP BY r.segment HAVING count(*) > 5` })).rejects.toMatchObject({
      code: 'refused',
      details: { refusal: { rule: 'dp-having' } },
    });
    const allowed = await room.previewRun(retailer, c.id, 'custom_sql', { sql: `SELECT r.segment, count(*) AS n ${JOIN} GROUP BY r.segment` });
    expect(allowed).toMatchObject({ dp: true, allowed: true, cached: false, charged: { epsilon: 1 } });
    expect((await room.privacyBudget(retailer, c.id)).remaining).toEqual(before.remaining);
  });
});
