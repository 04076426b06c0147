import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLift } from '../src/core/analyses/lift.js';
import type { RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { paramsSchema, validateTemplate } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { tempDir } from './helpers/run-cleanroom.js';

// ../shared/truth/fbpcs: Meta's Private Lift correctness fixture (see its MANIFEST.md §1a).
const FIXTURE = resolve(import.meta.dirname, '../../shared/truth/fbpcs/fbpcs/emp_games/lift/pcf2_calculator/sample_input');
const EPOCH = 1546300800;
const GRACE = 10;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What our lift does not model, applied here as fbpcs defines it: a person is in the study
 * only with a valid opportunity (opportunity = 1 and a timestamp after the epoch), and a
 * purchase counts only when valid relative to that person's opportunity (after the epoch, and
 * no more than 10 s before the opportunity). Our template measures conversions in a date
 * window instead. Everything after that filter — arms, people, converters, conversions,
 * value, per-person value squares — is our room's own computation, compared exactly.
 */
function fixtureFiles(dir: string): { audience: string; conversions: string } {
  const publisher = readFileSync(join(FIXTURE, 'publisher_unittest3.csv'), 'utf8').trim().split('\n').slice(1);
  const partner = readFileSync(join(FIXTURE, 'partner_2_convs_unittest.csv'), 'utf8').trim().split('\n').slice(1);
  const rel = (t: number) => (t >= EPOCH ? t - EPOCH : 0);
  const audience = ['email,phone,first_name,last_name,zip,campaign,test_group'];
  const conversions = ['customer_id,converted_at,value,email,phone,first_name,last_name,zip'];
  publisher.forEach((line, i) => {
    const [id, opportunity, testFlag, oppTs, , breakdown] = line.split(',');
    const opp = rel(Number(oppTs));
    if (opportunity !== '1' || opp <= 0) return;
    audience.push(`${sha(`id${id}`)},,,,,breakdown_${breakdown},${testFlag === '1' ? 'exposed' : 'holdout'}`);
    // The partner row of the same person is on the same line (the fixture is pre-matched).
    const match = /^(\d+),\[([^\]]*)\],\[([^\]]*)\],(\d+)$/.exec(partner[i]!.trim());
    if (match === null) throw new Error(`unreadable partner line ${i + 2}`);
    const times = match[2]!.split(',').map(Number);
    const values = match[3]!.split(',').map(Number);
    times.forEach((t, j) => {
      const ts = rel(t);
      if (ts > 0 && ts + GRACE > opp) conversions.push(`c${match[1]},${new Date(t * 1000).toISOString()},${values[j]},${sha(`id${id}`)},,,,`);
    });
  });
  const a = join(dir, 'audience.csv');
  const c = join(dir, 'conversions.csv');
  writeFileSync(a, `${audience.join('\n')}\n`);
  writeFileSync(c, `${conversions.join('\n')}\n`);
  return { audience: a, conversions: c };
}

describe('lift against the fbpcs Private Lift correctness fixture', () => {
  let engine: RoomEngine;
  let room: RoomStore;
  let template: Template;
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'correctness_output.json'), 'utf8')) as {
    metrics: Record<string, number>;
    publisherBreakdowns: Record<string, number>[];
  };

  beforeAll(async () => {
    const dir = tempDir();
    // The ready template accepts values from 0; fbpcs's fixture has refunds (negative values).
    const ready = (await loadReadyTemplates(join(import.meta.dirname, '..', 'templates'))).get('lift-incrementality')!.template;
    const json = JSON.parse(JSON.stringify(ready)) as { datasets: { conversions: { columns: { value: { range: number[] } } } } };
    json.datasets.conversions.columns.value.range = [-100_000, 100_000];
    const checked = validateTemplate(json);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    template = checked.template;
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    room = await engine.openRoom('fbpcs-lift', { create: true });
    const files = fixtureFiles(dir);
    await room.loadCsv(files.audience, { ...loadPlanFor(template, 'campaign_audience'), deduplicate: false });
    await room.loadCsv(files.conversions, { ...loadPlanFor(template, 'conversions'), deduplicate: false });
    await resolveIdentity(room, template, 'campaign_audience', 'conversions');
  });
  afterAll(async () => engine.close());

  const run = async (groupBy: string[]) => {
    const params = paramsSchema(template.analyses.lift!).parse({ converted_from: '2019-01-01', converted_to: '2019-12-31', group_by: groupBy });
    const compiled = compileLift(template, 'lift', params);
    return (await room.query(compiled.sql, compiled.params)).rows;
  };
  const compare = (rows: readonly Record<string, unknown>[], metrics: Record<string, number>) => {
    const arm = (name: string) => rows.find((r) => r.arm === name)!;
    for (const [ours, theirs] of [['exposed', 'test'], ['holdout', 'control']] as const) {
      expect(arm(ours).converters).toBe(metrics[`${theirs}Converters`]);
      expect(arm(ours).conversions).toBe(metrics[`${theirs}Conversions`]);
      expect(Number(arm(ours).revenue)).toBe(metrics[`${theirs}Value`]);
      expect(Number(arm(ours).revenue_squares)).toBe(metrics[`${theirs}ValueSquared`]);
    }
  };

  it('reproduces the overall converters, conversions, value and per-person value squares exactly', async () => {
    const rows = await run([]);
    // People per arm are the valid opportunities (MANIFEST: 13 test, 8 control); fbpcs's JSON has no populations.
    expect(rows.map((r) => [r.arm, r.people])).toEqual([
      ['exposed', 13],
      ['holdout', 8],
    ]);
    compare(rows, expected.metrics);
  });

  it('reproduces both publisher breakdowns exactly', async () => {
    const rows = await run(['campaign_audience.campaign']);
    for (const [index, metrics] of expected.publisherBreakdowns.entries()) {
      compare(rows.filter((r) => r['campaign_audience.campaign'] === `breakdown_${index}`), metrics);
    }
  });
});
