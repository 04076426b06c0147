import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/cli/demo/generate-customers.js';
import { compileDpLift } from '../src/core/analyses/dp/compile-dp-lift.js';
import { stepsSql } from '../src/core/analyses/dp/bounding/steps-sql.js';
import type { Cell, RoomEngine, RoomStore, SqlParam } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { ident, matchColumn, matchTable, personExpression } from '../src/core/room-schema/room-sql.js';
import { validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { tempDir } from './helpers/run-cleanroom.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** lift-incrementality with DP, grouped by campaign, with the given k, m and optional cap. */
function template(k: number, m: number, cap?: [number, number]): Template {
  const json = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'templates', 'lift-incrementality.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  json.privacy.dp = { unit: 'person', mechanism: 'laplace', budget: { epsilon: 10, delta: 1e-5 }, perParty: null, refreshDays: null };
  json.datasets.conversions.columns.value.range = [0, 100];
  json.datasets.campaign_audience.columns.campaign.allowedValues = ['spring', 'summer'];
  json.analyses.lift.dp = { epsilon: 1, maxGroupsPerPerson: k, maxRowsPerGroup: m, resolution: 0.01, ...(cap ? { personTotals: { 'conversions.value': cap } } : {}) };
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

/**
 * DP lift ranks only where a bound binds (people in more than k arm rows, people with more
 * than m conversions). Held to the definition: a reference that ranks every arm row of every
 * person and every conversion of every person by the same keyed hashes must give the same
 * true (pre-noise) rows, for bounds that bind and bounds that do not.
 */
describe('DP lift bounding: ranking only where a bound binds keeps what ranking everything keeps', () => {
  let engine: RoomEngine;
  let store: RoomStore;

  beforeAll(async () => {
    const dir = tempDir('cleanroom-dp-lift-bounding-');
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    store = await engine.openRoom('c_lift', { create: true });
    const random = seededRandom(5);
    const audience = ['email,phone,first_name,last_name,zip,campaign,test_group'];
    const conversions = ['customer_id,converted_at,value,email,phone,first_name,last_name,zip'];
    for (let i = 0; i < 400; i++) {
      const email = sha(`p${i}@x.com`);
      // 1 to 4 (campaign, arm) rows: some people sit in both arms or both campaigns.
      const rows = 1 + Math.floor(random() * 4);
      for (let r = 0; r < rows; r++) audience.push(`${email},,,,,${random() < 0.5 ? 'spring' : 'summer'},${random() < 0.7 ? 'exposed' : 'holdout'}`);
      const n = Math.floor(random() * 7);
      for (let c = 0; c < n; c++) conversions.push(`c${i},2026-04-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T12:00:00Z,${(Math.floor(random() * 10000) / 100).toFixed(2)},${email},,,,`);
    }
    writeFileSync(join(dir, 'audience.csv'), `${audience.join('\n')}\n`);
    writeFileSync(join(dir, 'conversions.csv'), `${conversions.join('\n')}\n`);
    const t = template(1, 1);
    await store.loadCsv(join(dir, 'audience.csv'), loadPlanFor(t, 'campaign_audience'));
    await store.loadCsv(join(dir, 'conversions.csv'), loadPlanFor(t, 'conversions'));
    await resolveIdentity(store, t, 'campaign_audience', 'conversions');
  });
  afterAll(async () => engine.close());

  const params = { converted_from: '2026-04-01', converted_to: '2026-04-20', group_by: ['campaign_audience.campaign'] };

  /** Rank every arm row and every conversion of everyone (the definition). */
  function reference(t: Template, seed: string, k: number, m: number, cap?: [number, number]): { sql: string; params: SqlParam[] } {
    const steps = stepsSql('c."value"', { type: 'decimal', range: { min: 0, max: 100 }, resolution: 0.01 });
    const total = cap ? `least(greatest(sum(steps), ${cap[0] * 100}), ${cap[1] * 100})` : 'sum(steps)';
    const assigned = ident(matchColumn('campaign_audience'));
    return {
      sql: `WITH arms AS (
  SELECT DISTINCT ${personExpression(t, 'campaign_audience', 'x')} AS person, CASE x."test_group" WHEN 'exposed' THEN 'exposed' WHEN 'holdout' THEN 'holdout' END AS arm, x."campaign" AS "campaign_audience.campaign"
  FROM campaign_audience x WHERE x."test_group" IN ('exposed', 'holdout')),
ranked_arms AS (SELECT *, row_number() OVER (PARTITION BY person ORDER BY hash('${seed}', person, arm, "campaign_audience.campaign")) AS r FROM arms),
conv_rows AS (
  SELECT m.${assigned} AS person, ${steps} AS steps, row_number() OVER (PARTITION BY m.${assigned} ORDER BY hash('${seed}', m.${assigned}, c."converted_at", ${steps})) AS r
  FROM conversions c JOIN ${ident(matchTable('campaign_audience', 'conversions'))} m ON m.${ident(matchColumn('conversions'))} = ${personExpression(t, 'conversions', 'c')}
  WHERE c."converted_at" >= CAST('2026-04-01' AS DATE) AND c."converted_at" < CAST('2026-04-20' AS DATE) + INTERVAL 1 DAY),
conv AS (SELECT person, count(*) AS conversions, ${total} AS revenue_steps FROM conv_rows WHERE r <= ${m} GROUP BY person),
per AS (SELECT a.arm, a."campaign_audience.campaign", coalesce(conv.conversions, 0) AS conversions, coalesce(conv.revenue_steps, 0) AS revenue_steps
  FROM ranked_arms a LEFT JOIN conv ON conv.person = a.person WHERE a.r <= ${k})
SELECT arm, "campaign_audience.campaign", count(*) AS people, count(*) FILTER (WHERE conversions > 0) AS converters, sum(conversions) AS conversions, sum(revenue_steps) AS revenue_steps
FROM per GROUP BY ALL`,
      params: [],
    };
  }

  const text = (rows: readonly Record<string, Cell>[]): string[] =>
    rows.map((row) => ['arm', 'campaign_audience.campaign', 'people', 'converters', 'conversions', 'revenue_steps'].map((c) => String(row[c])).join(' | ')).sort();

  it.each([
    [1, 1],
    [1, 3],
    [2, 2],
    [4, 6],
  ])('agrees with ranking everything, k = %i, m = %i, several seeds, with and without a cap', async (k, m) => {
    for (const cap of [undefined, [0, 150] as [number, number]]) {
      const t = template(k, m, cap);
      for (const seed of ['s1', 'seed-two', '0123456789abcdef']) {
        const plan = compileDpLift(t, 'lift', params, seed);
        const ours = text((await store.query(plan.sql, plan.params)).rows);
        const ref = reference(t, seed, k, m, cap);
        expect(ours, `k=${k} m=${m} ${seed} ${cap ? 'capped' : ''}`).toEqual(text((await store.query(ref.sql, ref.params)).rows));
      }
    }
  });

  it('the data makes both bounds bind at k = m = 1 and neither at k = 4, m = 6', async () => {
    const loose = reference(template(100, 100), 's1', 100, 100);
    const all = text((await store.query(loose.sql)).rows);
    const tight = reference(template(1, 1), 's1', 1, 1);
    expect(text((await store.query(tight.sql)).rows)).not.toEqual(all);
    const plan = compileDpLift(template(4, 6), 'lift', params, 's1');
    expect(text((await store.query(plan.sql, plan.params)).rows)).toEqual(all);
  });
});
