import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationRulesFor } from '../src/core/analyses/sql/aggregation-rules-for.js';
import { dpQuery } from '../src/core/analyses/sql/dp-query.js';
import { executeSqlAnalysis } from '../src/core/analyses/sql/execute-sql-analysis.js';
import { personNodes } from '../src/core/analyses/sql/person-nodes.js';
import { checkCustomSql } from '../src/core/custom-sql/index.js';
import type { Cell } from '../src/core/engine-port.js';
import { analysisCost } from '../src/core/privacy/budget/analysis-cost.js';
import { toFixedPoint } from '../src/core/privacy/dp/fixed-point.js';
import { seededRandomSource } from '../src/core/privacy/dp/random-source.js';
import { rational } from '../src/core/privacy/dp/rational.js';
import type { GuardedTable } from '../src/core/privacy/guard-result.js';
import type { Template } from '../src/core/template/index.js';
import { roomFixture } from '../src/engine/duckdb/room-fixture.js';
import type { RoomFixture } from '../src/engine/duckdb/room-fixture.js';
import { dpTemplateJson, loadRetailData, matched, recording, templateOf } from './helpers/sql-room-data.js';

// Custom SQL under differential privacy, through a real DuckDB room, on the ready template
// retail-media-insights-dp (laplace; custom_sql: ε = 1, k = 5, m = 10, cents).

const JOIN = 'FROM purchases p JOIN readers r ON p.email = r.email';
const retailer = (seed: number) => ({ runnerRoles: ['retailer'], rng: seededRandomSource(seed) });

/** The ready template with custom_sql bounded to k = 1 group and m = 1 row per person, and so much ε that counts are exact. */
function tightTemplate(): Template {
  const json = dpTemplateJson();
  json.privacy.dp.budget = { epsilon: 1000, delta: 1e-5 };
  json.privacy.dp.perParty = { epsilon: 1000, delta: 1e-5 };
  json.analyses.custom_sql.dp = { epsilon: 100, maxGroupsPerPerson: 1, maxRowsPerGroup: 1, resolution: 0.01 };
  return templateOf(json);
}

/** The noisy value is near the truth: Laplace noise beyond 4 half-widths (about 12 scales) has probability e^-12. */
const near = (table: GuardedTable, row: Record<string, Cell>, column: string, truth: number) => {
  const halfWidth = table.noise![column]!.halfWidth!;
  expect(Math.abs(Number(row[column]) - truth), `${column} ${String(row[column])} vs ${truth} ± ${halfWidth}`).toBeLessThanOrEqual(4 * halfWidth);
  expect(Number(row[`${column}.high`]) - Number(row[`${column}.low`])).toBeLessThanOrEqual(2 * halfWidth + 1e-9);
};

describe('custom SQL under differential privacy', () => {
  let fixture: RoomFixture;
  let template: Template;

  beforeAll(async () => {
    fixture = await roomFixture({ encryption: 'off' });
    template = templateOf(dpTemplateJson());
    await loadRetailData(fixture, template);
  });
  afterAll(async () => fixture.dispose());

  it('releases every public group with noisy values, their 95% intervals and the calibration of the whole budget', async () => {
    const sql = `SELECT r.segment, count(*) AS purchases, sum(p.amount) AS spend, avg(p.amount) AS mean_amount ${JOIN} GROUP BY r.segment`;
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, retailer(1));
    const table = outcome.result.tables.custom_sql!;
    expect(outcome.status).toBe('released');
    expect(table.selection).toEqual({ kind: 'public' });
    // Every declared segment, also the one with three people: no key reveals anything.
    expect(table.rows.map((r) => r.segment).sort()).toEqual(['business', 'lifestyle', 'news', 'sport', 'tech']);
    // avg(p.amount) divides the noisy sum of spend, the same argument: no second noisy sum.
    expect(table.columns).toEqual(['segment', 'people', 'purchases', 'mean_amount.count', 'spend', 'mean_amount']);
    // No private keys: all of ε = 1 goes to the values, split over 4 statistics (ε = 1/4 each);
    // a count of people has sensitivity k = 5, a row count k·m = 50, a sum k·min(m·B, cap) =
    // 5 × min(10 × 50 000, 150 000) cents (the template caps each person's total at $1,500).
    expect(analysisCost(template, 'custom_sql')).toMatchObject({ epsilon: 1 });
    expect(table.noise!.people!.parameter).toBe('scale=20');
    expect(table.noise!.purchases!.parameter).toBe('scale=200');
    expect(table.noise!.spend!.parameter).toBe('scale=3000000');
    expect(table.noise!.mean_amount!.mechanism).toBe('derived');
    for (const row of table.rows) {
      const count = Number(row['mean_amount.count']);
      if (count > 0) expect(Number(row.mean_amount)).toBeCloseTo(Math.min(500, Math.max(0, Number(row.spend) / count)), 6);
    }
    for (const row of table.rows) {
      const rows = matched.filter((m) => m.r.segment === row.segment);
      near(table, row, 'people', new Set(rows.map((m) => m.r.email)).size);
      near(table, row, 'purchases', rows.length);
      near(table, row, 'spend', rows.reduce((s, m) => s + m.p.cents, 0) / 100);
    }
  });

  it('bounds each person to k groups and m rows before aggregating', async () => {
    const tight = tightTemplate();
    const sql = `SELECT p.category, count(*) AS purchases, sum(p.amount) AS spend ${JOIN} GROUP BY p.category`;
    const outcome = await executeSqlAnalysis(fixture.room, tight, 'custom_sql', { sql }, retailer(2));
    const rows = outcome.result.tables.custom_sql!.rows;
    const people = new Set(matched.map((m) => m.r.email)).size;
    expect(people).toBe(400);
    expect(matched.length).toBe(800);
    // k = 1, m = 1: each matched person is one purchase in one category.
    expect(rows.reduce((s, r) => s + Number(r.purchases), 0)).toBe(people);
    for (const row of rows) {
      expect(row.purchases).toBe(row.people);
      expect(Number(row.spend)).toBeLessThanOrEqual(Number(row.people) * 500 + Number(outcome.result.tables.custom_sql!.noise!.spend!.halfWidth));
    }
    // Another seed keeps other rows, never more of them.
    const again = await executeSqlAnalysis(fixture.room, tight, 'custom_sql', { sql }, retailer(3));
    expect(again.result.tables.custom_sql!.rows.reduce((s, r) => s + Number(r.purchases), 0)).toBe(people);
  });

  it('groups by private values only through DP partition selection', async () => {
    const tight = tightTemplate();
    const sql = `SELECT p.store, count(DISTINCT p.email) AS buyers ${JOIN} GROUP BY p.store`;
    const outcome = await executeSqlAnalysis(fixture.room, tight, 'custom_sql', { sql }, retailer(4));
    const table = outcome.result.tables.custom_sql!;
    expect(table.selection).toMatchObject({ kind: 'noisy_threshold', epsilon: 50, delta: 1e-7 });
    expect(table.rows.map((r) => r.store).sort()).toEqual(['S0', 'S1', 'S2', 'S3']);
    // k = 1: the stores' people add up to the matched people.
    expect(table.rows.reduce((s, r) => s + Number(r.people), 0)).toBe(400);
    // One person's stores never pass the threshold of the real budget.
    const alone = `SELECT p.store, sum(p.amount) AS spend ${JOIN} WHERE r.age_band = '55+' GROUP BY p.store`;
    const single = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql: alone }, retailer(5));
    expect(single.status).toBe('suppressed');
    expect(single.result.tables.custom_sql!.rows).toEqual([]);
    expect(single.reason).toBe('no group passed DP partition selection');
  });

  it('runs the pre-approved query under DP', async () => {
    const outcome = await executeSqlAnalysis(fixture.room, template, 'category_spend_for_age', { age_band: '25-34' }, retailer(6));
    const table = outcome.result.tables.category_spend_for_age!;
    expect(table.selection).toEqual({ kind: 'public' });
    expect(table.rows).toHaveLength(6);
    for (const row of table.rows) {
      const rows = matched.filter((m) => m.r.ageBand === '25-34' && m.p.category === row.category);
      near(table, row, 'people', new Set(rows.map((m) => m.r.email)).size);
      near(table, row, 'spend', rows.reduce((s, m) => s + m.p.cents, 0) / 100);
    }
  });

  it('a query without groups gives one noisy row', async () => {
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql: `SELECT count(*) AS n ${JOIN} WHERE r.age_band = '55+'` }, retailer(7));
    const table = outcome.result.tables.custom_sql!;
    expect(table.selection).toEqual({ kind: 'none' });
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]).toHaveProperty('n.low');
  });

  it('runs expression and timestamp group keys through partition selection, and filters and scalars in WHERE', async () => {
    const tight = tightTemplate();
    const shapes = [
      `SELECT date_trunc('month', p.purchased_at) AS month, count(*) AS n ${JOIN} GROUP BY date_trunc('month', p.purchased_at)`,
      `SELECT p.purchased_at AS at, count(DISTINCT p.email) AS buyers ${JOIN} WHERE p.category IN ('grocery', 'home') GROUP BY p.purchased_at`,
      `SELECT lower(r.segment) AS s, avg(p.amount) AS mean_amount ${JOIN} WHERE p.purchased_at >= DATE '2026-02-01' GROUP BY lower(r.segment)`,
    ];
    for (const sql of shapes) {
      const outcome = await executeSqlAnalysis(fixture.room, tight, 'custom_sql', { sql }, retailer(12));
      expect(outcome.result.tables.custom_sql!.selection, sql).toMatchObject({ kind: 'noisy_threshold' });
      expect(outcome.result.tables.custom_sql!.rows.length, sql).toBeGreaterThan(0);
    }
  });

  it('sums in exact fixed-point steps, ties away from zero, before any noise', async () => {
    const json = dpTemplateJson();
    json.analyses.custom_sql.dp.resolution = 0.1;
    const coarse = templateOf(json);
    const tree = await fixture.room.parseSql(`SELECT r.segment, count(*) AS purchases, sum(p.amount) AS spend ${JOIN} GROUP BY r.segment`);
    const check = checkCustomSql(tree, aggregationRulesFor(coarse, 'custom_sql', ['retailer']));
    if (!check.ok) throw new Error(check.refusal.message);
    const [unit] = await personNodes(fixture.room, coarse, [{ alias: 'r', dataset: 'readers' }]);
    const dp = dpQuery(check.plan, coarse, 'custom_sql', unit!);
    const { sql, params } = dp.sql(await fixture.room.printSql(dp.inner), 'a-fixed-seed');
    const rows = dp.rows((await fixture.room.query(sql, params)).rows);
    expect(matched.some((m) => m.p.cents % 10 === 5)).toBe(true); // ties at 0.1
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const group = matched.filter((m) => m.r.segment === row.segment);
      const steps = group.reduce((sum, m) => sum + toFixedPoint(rational(BigInt(m.p.cents), 100n), '0.1'), 0n);
      expect(BigInt(String(row.__steps_spend)), String(row.segment)).toBe(steps);
      expect(row.purchases).toBe(group.length); // k = 5, m = 20 bind no one here
      expect(row.people).toBe(new Set(group.map((m) => m.r.email)).size);
    }
  });

  it('caps each person\'s total of a summed column per group (dp.personTotals): true sums clamped per person, noise calibrated to the cap', async () => {
    const json = dpTemplateJson();
    json.analyses.custom_sql.dp = { epsilon: 1, maxGroupsPerPerson: 5, maxRowsPerGroup: 20, resolution: 0.01, personTotals: { 'purchases.amount': [0, 300] } };
    const capped = templateOf(json);
    const sql = `SELECT r.segment, sum(p.amount) AS spend, avg(p.amount) AS mean_amount, count(*) AS purchases ${JOIN} GROUP BY r.segment`;
    const check = checkCustomSql(await fixture.room.parseSql(sql), aggregationRulesFor(capped, 'custom_sql', ['retailer']));
    if (!check.ok) throw new Error(check.refusal.message);
    const [unit] = await personNodes(fixture.room, capped, [{ alias: 'r', dataset: 'readers' }]);
    const dp = dpQuery(check.plan, capped, 'custom_sql', unit!);
    const query = dp.sql(await fixture.room.printSql(dp.inner), 'a-fixed-seed');
    const rows = dp.rows((await fixture.room.query(query.sql, query.params)).rows);
    expect(rows).toHaveLength(5);
    let clampedSomeone = false;
    for (const row of rows) {
      const perPerson = new Map<string, number>();
      for (const m of matched.filter((x) => x.r.segment === row.segment)) perPerson.set(m.r.email, (perPerson.get(m.r.email) ?? 0) + m.p.cents);
      const truth = [...perPerson.values()].reduce((sum, cents) => sum + Math.min(cents, 30_000), 0);
      clampedSomeone ||= [...perPerson.values()].some((cents) => cents > 30_000);
      // k = 5 and m = 20 bind no one here: only the cap changes the sums.
      expect(BigInt(String(row.__steps_spend)), String(row.segment)).toBe(BigInt(truth));
      expect(row.purchases).toBe(matched.filter((x) => x.r.segment === row.segment).length);
    }
    expect(clampedSomeone).toBe(true);
    // Sensitivity per group: min(m·B, cap) = min(20 × $500, $300) = $300, k = 5; ε = 1 over people, purchases, mean_amount.count and spend.
    const outcome = await executeSqlAnalysis(fixture.room, capped, 'custom_sql', { sql }, retailer(3));
    expect(outcome.result.tables.custom_sql!.noise!.spend!.label).toMatch(/scale=6000 \(600000 steps of 0\.01\)/);
  });

  it('keeps at most k groups and m rows of each person, whatever the seed', async () => {
    const json = dpTemplateJson();
    json.analyses.custom_sql.dp = { epsilon: 1, maxGroupsPerPerson: 2, maxRowsPerGroup: 2, resolution: 0.01 };
    const bounded = templateOf(json);
    const trueAggregates = async (sql: string, seed: string) => {
      const check = checkCustomSql(await fixture.room.parseSql(sql), aggregationRulesFor(bounded, 'custom_sql', ['retailer']));
      if (!check.ok) throw new Error(check.refusal.message);
      const [unit] = await personNodes(fixture.room, bounded, [{ alias: 'r', dataset: 'readers' }]);
      const dp = dpQuery(check.plan, bounded, 'custom_sql', unit!);
      const query = dp.sql(await fixture.room.printSql(dp.inner), seed);
      return dp.rows((await fixture.room.query(query.sql, query.params)).rows);
    };
    const perPerson = new Map<string, number>();
    for (const m of matched) perPerson.set(m.r.email, (perPerson.get(m.r.email) ?? 0) + 1);
    // Each person's purchases fall in distinct categories: k = 2 of them are kept.
    const expectedPeople = [...perPerson.values()].reduce((s, n) => s + Math.min(2, n), 0);
    // One segment per person: m = 2 of their rows are kept.
    const expectedRows = expectedPeople;
    for (const seed of ['one', 'two', 'three']) {
      const byCategory = await trueAggregates(`SELECT p.category, count(*) AS purchases ${JOIN} GROUP BY p.category`, seed);
      expect(byCategory.reduce((s, r) => s + Number(r.people), 0)).toBe(expectedPeople);
      const bySegment = await trueAggregates(`SELECT r.segment, count(*) AS purchases ${JOIN} GROUP BY r.segment`, seed);
      expect(bySegment.reduce((s, r) => s + Number(r.purchases), 0)).toBe(expectedRows);
    }
  });

  it('differencing: two queries whose filters differ by one person differ by at most the sensitivity the noise is calibrated to', async () => {
    const json = dpTemplateJson();
    json.analyses.custom_sql.dp = { epsilon: 1, maxGroupsPerPerson: 1, maxRowsPerGroup: 1, resolution: 0.01 };
    const bounded = templateOf(json);
    const trueAggregates = async (sql: string) => {
      const check = checkCustomSql(await fixture.room.parseSql(sql), aggregationRulesFor(bounded, 'custom_sql', ['retailer']));
      if (!check.ok) throw new Error(check.refusal.message);
      const [unit] = await personNodes(fixture.room, bounded, [{ alias: 'r', dataset: 'readers' }]);
      const dp = dpQuery(check.plan, bounded, 'custom_sql', unit!);
      const query = dp.sql(await fixture.room.printSql(dp.inner), 'the-same-seed-for-both');
      return new Map(dp.rows((await fixture.room.query(query.sql, query.params)).rows).map((r) => [String(r.category), r]));
    };
    // Reader 499 is the only one aged 55+, with two purchases in two categories.
    expect(matched.filter((m) => m.r.ageBand === '55+').map((m) => m.p.category)).toHaveLength(2);
    const select = `SELECT p.category, count(*) AS purchases, sum(p.amount) AS spend ${JOIN}`;
    const everyone = await trueAggregates(`${select} GROUP BY p.category`);
    const withoutOne = await trueAggregates(`${select} WHERE r.age_band <> '55+' GROUP BY p.category`);
    let people = 0;
    let purchases = 0;
    let steps = 0;
    for (const [category, row] of everyone) {
      const other = withoutOne.get(category);
      people += Math.abs(Number(row.people) - Number(other?.people ?? 0));
      purchases += Math.abs(Number(row.purchases) - Number(other?.purchases ?? 0));
      steps += Math.abs(Number(row.__steps_spend) - Number(other?.__steps_spend ?? 0));
    }
    // L1 sensitivities with k = 1, m = 1: people 1, rows 1, sum 1 × 500 dollars in cents.
    expect(people).toBe(1);
    expect(purchases).toBe(1);
    expect(steps).toBeLessThanOrEqual(50_000);
    expect(steps).toBeGreaterThan(0);
  });

  it('keeps an aggregate FILTER as a condition read after the bounding', async () => {
    const tight = tightTemplate();
    const sql = `SELECT p.category, count(*) AS purchases, count(*) FILTER (WHERE r.segment = 'news') AS news, sum(p.amount) FILTER (WHERE r.segment = 'news') AS news_spend ${JOIN} GROUP BY p.category`;
    const outcome = await executeSqlAnalysis(fixture.room, tight, 'custom_sql', { sql }, retailer(13));
    const table = outcome.result.tables.custom_sql!;
    const newsPeople = new Set(matched.filter((m) => m.r.segment === 'news').map((m) => m.r.email)).size;
    // k = 1, m = 1: one row per person, so the filtered counts add up to the news readers.
    expect(table.rows.reduce((s, r) => s + Number(r.news), 0)).toBe(newsPeople);
    for (const row of table.rows) {
      expect(Number(row.news)).toBeLessThanOrEqual(Number(row.purchases));
      expect(Number(row.news_spend)).toBeLessThanOrEqual(Number(row.news) * 500 + table.noise!.news_spend!.halfWidth!);
    }
  });

  it('refuses, before anything runs, what DP cannot bound', async () => {
    const { room, queries } = recording(fixture.room);
    const cases: [string, string][] = [
      [`SELECT r.segment, count(*) AS n ${JOIN} GROUP BY r.segment HAVING count(*) > 10`, 'dp-having'],
      [`SELECT round(avg(p.amount)) AS a ${JOIN}`, 'dp-aggregate-expression'],
      [`SELECT coalesce(sum(p.amount), 0) AS a ${JOIN}`, 'dp-aggregate-expression'],
      [`SELECT 'x' AS label, count(*) AS n ${JOIN}`, 'dp-output'],
      [`SELECT count(*) AS n ${JOIN} GROUP BY r.segment`, 'dp-group-key'],
      [`SELECT avg(p.amount) AS a, count(*) AS "a.count" ${JOIN}`, 'reserved-output-name'],
    ];
    for (const [sql, rule] of cases) {
      await expect(executeSqlAnalysis(room, template, 'custom_sql', { sql }, retailer(8)), sql).rejects.toMatchObject({ code: 'refused', details: { refusal: { rule } } });
    }
    // Without budget for partition selection, group keys must be public columns.
    const json = dpTemplateJson();
    json.datasets.purchases.columns.store.allowedValues = ['S0', 'S1', 'S2', 'S3'];
    json.analyses.custom_sql.rules.columns = { 'purchases.purchased_at': { dimension: false } };
    const noSelection = templateOf(json);
    expect(analysisCost(noSelection, 'custom_sql')).toEqual({ epsilon: 1 });
    await expect(executeSqlAnalysis(room, noSelection, 'custom_sql', { sql: `SELECT lower(p.category) AS c, count(*) AS n ${JOIN} GROUP BY lower(p.category)` }, retailer(9))).rejects.toMatchObject({
      details: { refusal: { rule: 'dp-private-groups' } },
    });
    // Two datasets of other parties are two privacy units: bounding one does not bound the other.
    const three = dpTemplateJson();
    three.datasets.subscriptions = {
      owner: 'publisher',
      description: 'Newsletter subscriptions.',
      columns: {
        email: { type: 'string', identifier: 'email', required: false, description: 'Email.' },
        plan: { type: 'string', role: 'dimension', required: true, allowedValues: ['free', 'paid'], description: 'Plan.' },
      },
    };
    three.analyses.custom_sql.datasets = ['readers', 'purchases', 'subscriptions'];
    const sql = `SELECT s.plan, count(*) AS n ${JOIN} JOIN subscriptions s ON r.email = s.email GROUP BY s.plan`;
    await expect(executeSqlAnalysis(room, templateOf(three), 'custom_sql', { sql }, retailer(11))).rejects.toMatchObject({ details: { refusal: { rule: 'dp-protected-parties' } } });
    expect(queries).toEqual([]);
    const ok = await executeSqlAnalysis(room, noSelection, 'custom_sql', { sql: `SELECT p.store, count(*) AS n ${JOIN} GROUP BY p.store` }, retailer(10));
    expect(ok.result.tables.custom_sql!.selection).toEqual({ kind: 'public' });
  });
});
