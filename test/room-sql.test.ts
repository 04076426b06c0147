import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregationRulesFor } from '../src/core/analyses/sql/aggregation-rules-for.js';
import { executeSqlAnalysis } from '../src/core/analyses/sql/execute-sql-analysis.js';
import { CleanRoomError } from '../src/core/errors.js';
import type { Template } from '../src/core/template/index.js';
import { roomFixture } from '../src/engine/duckdb/room-fixture.js';
import type { RoomFixture } from '../src/engine/duckdb/room-fixture.js';
import { dpTemplateJson, loadRetailData, matched, readers, recording, templateOf } from './helpers/sql-room-data.js';

// Custom SQL through a real DuckDB room, thresholds only: the ready DP template with DP turned off.

const MIN = 20;

function plainTemplate(): Template {
  const json = dpTemplateJson();
  json.privacy = { ...json.privacy, dp: null, minPeople: MIN };
  for (const analysis of Object.values(json.analyses) as Record<string, unknown>[]) delete analysis.dp;
  json.analyses.spend_since = {
    kind: 'sql',
    description: 'Purchases and spend per category since a day, for one reader segment, in one year.',
    datasets: ['readers', 'purchases'],
    runs: ['retailer'],
    receives: ['retailer'],
    query:
      'SELECT p.category, count(*) AS purchases, sum(p.amount) AS spend FROM purchases p JOIN readers r ON p.email = r.email ' +
      'WHERE p.purchased_at >= $since AND r.segment = $segment AND year(p.purchased_at) = $year GROUP BY p.category',
    params: {
      since: { type: 'date', description: 'First day.', required: true },
      segment: { type: 'enum', description: 'Reader segment.', allowedValues: ['news', 'sport', 'lifestyle', 'business', 'tech'], required: true },
      year: { type: 'integer', description: 'Year.', min: 2020, max: 2030, default: 2026 },
    },
    rules: { columns: {}, mustJoinOwnData: true },
  };
  return templateOf(json);
}

/** The guard's rule, independently: rows under MIN go, then the smallest others until the held-back cover MIN. */
function expectedReleased<T extends { people: number }>(rows: T[]): T[] {
  const held = new Set(rows.filter((r) => r.people < MIN));
  let covered = [...held].reduce((s, r) => s + r.people, 0);
  if (held.size > 0) {
    for (const r of rows.filter((x) => !held.has(x)).sort((a, b) => a.people - b.people)) {
      if (covered >= MIN) break;
      held.add(r);
      covered += r.people;
    }
  }
  return rows.filter((r) => !held.has(r));
}

function group<K>(rows: typeof matched, key: (row: (typeof matched)[number]) => K) {
  const groups = new Map<K, { people: Set<string>; buyers: Set<string>; customers: Set<string>; purchases: number; cents: number }>();
  for (const row of rows) {
    const g = groups.get(key(row)) ?? { people: new Set(), buyers: new Set(), customers: new Set(), purchases: 0, cents: 0 };
    g.people.add(row.r.email);
    g.buyers.add(row.p.email);
    g.customers.add(row.p.customerId);
    g.purchases++;
    g.cents += row.p.cents;
    groups.set(key(row), g);
  }
  return groups;
}

describe('custom SQL in the room, thresholded on each protected party', () => {
  let fixture: RoomFixture;
  let template: Template;
  const retailer = { runnerRoles: ['retailer'] };

  beforeAll(async () => {
    fixture = await roomFixture({ encryption: 'off' });
    template = plainTemplate();
    await loadRetailData(fixture, template);
  });
  afterAll(async () => fixture.dispose());

  it('builds the aggregation rules from the column roles', () => {
    const rules = aggregationRulesFor(template, 'custom_sql', ['retailer']);
    expect(rules.runner).toBe('retailer');
    expect(rules.mustJoinOwnData).toBe(true);
    expect(rules.datasets.readers).toMatchObject({ owner: 'publisher', columns: { email: { join: true, aggregates: ['count_distinct'], type: 'text' }, segment: { dimension: true, type: 'text' } } });
    expect(rules.datasets.purchases).toMatchObject({
      owner: 'retailer',
      columns: { customer_id: { type: 'text' }, amount: { aggregates: ['count', 'sum', 'avg'], type: 'number' }, purchased_at: { dimension: true, type: 'timestamp' } },
    });
    expect(Object.keys(rules.datasets.purchases!.columns.customer_id!)).toEqual(['type']);
    // A party holding both roles owns both datasets: they count as one owner.
    const both = aggregationRulesFor(template, 'custom_sql', ['retailer', 'publisher']);
    expect([both.datasets.readers!.owner, both.datasets.purchases!.owner]).toEqual(['retailer', 'retailer']);
    expect(() => aggregationRulesFor(template, 'spend_by_segment', ['retailer'])).toThrow(/not a sql analysis/);
  });

  it('returns the true aggregates of released groups, and suppresses the small group and its complement', async () => {
    const sql = `SELECT r.segment, count(*) AS purchases, count(DISTINCT p.email) AS buyers, sum(p.amount) AS spend, avg(p.amount) AS mean_amount
      FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.segment`;
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, retailer);
    const truth = [...group(matched, (m) => m.r.segment)].map(([segment, g]) => ({ segment, ...g, people: g.people.size }));
    const expected = expectedReleased(truth);
    expect(truth.find((t) => t.segment === 'tech')!.people).toBe(3);
    expect(expected.map((t) => t.segment).sort()).toEqual(['lifestyle', 'news', 'sport']);
    const table = outcome.result.tables.custom_sql!;
    expect(outcome.status).toBe('released');
    expect(table.columns).toEqual(['segment', 'purchases', 'buyers', 'spend', 'mean_amount']);
    // tech (3 people) is held back, and the next smallest segment with it; a grouped table does not say how many.
    expect(table.suppressed).toEqual({ rows: null, belowMinimum: null, complementary: null, reason: expect.stringMatching(/^groups behind fewer than \d+ people are never shown/) });
    const rows = [...table.rows].sort((a, b) => String(a.segment).localeCompare(String(b.segment)));
    expect(rows.map((r) => r.segment)).toEqual(expected.map((t) => t.segment).sort());
    for (const row of rows) {
      const t = expected.find((e) => e.segment === row.segment)!;
      expect(row.purchases).toBe(t.purchases);
      expect(row.buyers).toBe(t.buyers.size);
      expect(row.spend).toBeCloseTo(t.cents / 100, 6);
      expect(row.mean_amount).toBeCloseTo(t.cents / 100 / t.purchases, 6);
      expect(Object.keys(row).some((k) => k.startsWith('__'))).toBe(false);
    }
  });

  it('a WHERE that isolates one person yields a suppressed row, not data', async () => {
    const alone = matched.filter((m) => m.r.ageBand === '55+');
    expect(new Set(alone.map((m) => m.r.email)).size).toBe(1);
    const sql = `SELECT count(*) AS purchases, sum(p.amount) AS spend FROM purchases p JOIN readers r ON p.email = r.email WHERE r.age_band = '55+'`;
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, retailer);
    expect(outcome.status).toBe('suppressed');
    expect(outcome.result.tables.custom_sql!.rows).toEqual([]);
    expect(outcome.reason).toMatch(`fewer than ${MIN} people`);
    expect(JSON.stringify(outcome)).not.toContain(String(alone[0]!.p.cents / 100));
    // The same question over everyone is released: the threshold, not the query, decided.
    const all = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql: sql.replace(` WHERE r.age_band = '55+'`, '') }, retailer);
    expect(all.result.tables.custom_sql!.rows).toEqual([{ purchases: matched.length, spend: expect.closeTo(matched.reduce((s, m) => s + m.p.cents, 0) / 100, 6) }]);
  });

  it('thresholds on the party that is not the runner: the publisher running protects the retailer’s customers', async () => {
    const sql = `SELECT p.store, count(DISTINCT r.email) AS readers FROM readers r JOIN purchases p ON r.email = p.email WHERE r.segment = 'tech' GROUP BY p.store`;
    // Three tech readers: every store row has at most three of the retailer's customers.
    const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, { runnerRoles: ['publisher'] });
    expect(outcome.status).toBe('suppressed');
    expect(outcome.result.tables.custom_sql!.rows).toEqual([]);
    expect(outcome.reason).toMatch(`fewer than ${MIN} people`);
  });

  it('a runner that owns every dataset gets every dataset protected', async () => {
    const { room, queries } = recording(fixture.room);
    const outcome = await executeSqlAnalysis(room, template, 'category_spend_for_age', { age_band: '25-34' }, { runnerRoles: ['retailer', 'publisher'] });
    expect(outcome.status).toBe('released');
    expect(queries).toHaveLength(1);
    expect(queries[0]!.match(/count\(DISTINCT/g)).toHaveLength(2); // one hidden count per protected table
  });

  it('runs a pre-approved query with its typed parameter bound as a constant', async () => {
    const { room, queries } = recording(fixture.room);
    const outcome = await executeSqlAnalysis(room, template, 'category_spend_for_age', { age_band: '25-34' }, retailer);
    const truth = [...group(matched.filter((m) => m.r.ageBand === '25-34'), (m) => m.p.category)].map(([category, g]) => ({ category, ...g, people: g.people.size }));
    const expected = expectedReleased(truth);
    expect(expected.length).toBeGreaterThan(3);
    const rows = [...outcome.result.tables.category_spend_for_age!.rows].sort((a, b) => String(a.category).localeCompare(String(b.category)));
    expect(rows).toEqual(
      expected
        .sort((a, b) => a.category.localeCompare(b.category))
        .map((t) => ({ category: t.category, spend: expect.closeTo(t.cents / 100, 6) })),
    );
    // The value went in as a constant of the tree: no parameter is left, none is bound.
    expect(queries[0]).toContain(`'25-34'`);
    expect(queries[0]).not.toContain('$');
  });

  it('binds date, enum and integer parameters', async () => {
    const outcome = await executeSqlAnalysis(fixture.room, template, 'spend_since', { since: '2026-02-01', segment: 'news' }, retailer);
    const picked = matched.filter((m) => m.p.day >= '2026-02-01' && m.r.segment === 'news');
    const truth = [...group(picked, (m) => m.p.category)].map(([category, g]) => ({ category, ...g, people: g.people.size }));
    const expected = expectedReleased(truth).sort((a, b) => a.category.localeCompare(b.category));
    expect(expected.length).toBeGreaterThan(2);
    const rows = [...outcome.result.tables.spend_since!.rows].sort((a, b) => String(a.category).localeCompare(String(b.category)));
    expect(rows).toEqual(expected.map((t) => ({ category: t.category, purchases: t.purchases, spend: expect.closeTo(t.cents / 100, 6) })));
    const none = await executeSqlAnalysis(fixture.room, template, 'spend_since', { since: '2026-02-01', segment: 'news', year: 2025 }, retailer);
    expect(none.status).toBe('suppressed');
  });

  it('refuses extra, missing and wrong parameters before anything runs', async () => {
    const { room, queries } = recording(fixture.room);
    const run = (params: Record<string, unknown>) => executeSqlAnalysis(room, template, 'category_spend_for_age', params as never, retailer);
    const problem = async (params: Record<string, unknown>) => {
      const error = await run(params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CleanRoomError);
      expect((error as CleanRoomError).code).toBe('invalid_argument');
      return ((error as CleanRoomError).details.problems as { code: string; path: string }[])[0];
    };
    expect(await problem({ age_band: '25-34', extra: 1 })).toMatchObject({ code: 'unknown_param', path: 'extra' });
    expect(await problem({ age_band: '25-34', sql: 'SELECT 1' })).toMatchObject({ code: 'unknown_param', path: 'sql' });
    // (zod reports a missing enum as an invalid value, so params-schema says invalid_param here.)
    expect(await problem({})).toMatchObject({ path: 'age_band' });
    expect(await problem({ age_band: 25 })).toMatchObject({ code: 'invalid_param', path: 'age_band' });
    expect(await problem({ age_band: "25-34' OR 1=1 --" })).toMatchObject({ code: 'invalid_param', path: 'age_band' });
    const listed = await executeSqlAnalysis(room, template, 'spend_since', { since: 'yesterday', segment: 'news' }, retailer).catch((e: unknown) => e);
    expect(listed).toMatchObject({ code: 'invalid_argument' });
    expect(queries).toEqual([]);
  });

  it('refuses a query against the rules before anything runs, naming rule, node and column', async () => {
    const { room, queries } = recording(fixture.room);
    const secret = readers[7]!.email;
    const sql = `SELECT count(*) AS n FROM purchases p JOIN readers r ON p.email = r.email WHERE r.email = '${secret}'`;
    const error = (await executeSqlAnalysis(room, template, 'custom_sql', { sql }, retailer).catch((e: unknown) => e)) as CleanRoomError;
    expect(error).toBeInstanceOf(CleanRoomError);
    expect(error.code).toBe('refused');
    expect(error.details.refusal).toMatchObject({ rule: 'identifier-column', node: 'where_clause.left COLUMN_REF', column: 'readers.email' });
    expect(error.message).toMatch(/identifier-column.*where_clause\.left COLUMN_REF.*readers\.email/);
    expect(JSON.stringify(error.details) + error.message).not.toContain(secret);
    expect(queries).toEqual([]);
  });

  it('a pre-approved query is checked against the rules too', async () => {
    const json = JSON.parse(JSON.stringify(plainTemplate())) as Record<string, any>;
    json.analyses.category_spend_for_age.query = 'SELECT p.category, max(p.amount) AS top FROM purchases p JOIN readers r ON p.email = r.email WHERE r.age_band = $age_band GROUP BY p.category';
    const { room, queries } = recording(fixture.room);
    await expect(executeSqlAnalysis(room, templateOf(json), 'category_spend_for_age', { age_band: '25-34' }, retailer)).rejects.toMatchObject({
      code: 'refused',
      details: { refusal: { rule: 'aggregate-not-allowed' } },
    });
    expect(queries).toEqual([]);
  });

  it('runs every accepted query shape in the sandbox: scalars, CASE, HAVING, BETWEEN, IN, TRY_CAST, two join keys', async () => {
    const J = 'FROM purchases p JOIN readers r ON p.email = r.email';
    const shapes: [string, (rows: readonly Record<string, unknown>[]) => void][] = [
      [`SELECT date_trunc('month', p.purchased_at) AS month, count(*) AS n ${J} GROUP BY date_trunc('month', p.purchased_at)`, (rows) => expect(rows).toHaveLength(3)],
      [`SELECT year(p.purchased_at) AS y, month(p.purchased_at) AS m, count(*) AS n ${J} GROUP BY year(p.purchased_at), month(p.purchased_at)`, (rows) => expect(rows.map((r) => r.n).reduce((a, b) => Number(a) + Number(b), 0)).toBe(matched.length)],
      [`SELECT CASE WHEN r.segment = 'news' THEN 'news' ELSE 'other' END AS k, count(*) AS n ${J} GROUP BY CASE WHEN r.segment = 'news' THEN 'news' ELSE 'other' END`, (rows) => expect(rows).toHaveLength(2)],
      [`SELECT upper(coalesce(r.segment, 'none')) AS s, count(*) AS n ${J} GROUP BY upper(coalesce(r.segment, 'none'))`, (rows) => expect(rows.map((r) => r.s).sort()).toEqual(['LIFESTYLE', 'NEWS', 'SPORT'])],
      [`SELECT r.segment, count(*) AS n ${J} WHERE p.purchased_at BETWEEN DATE '2026-01-01' AND DATE '2026-02-28' AND p.category IN ('grocery', 'home') AND NOT p.store IS NULL GROUP BY r.segment HAVING count(*) > 10`, (rows) => expect(rows.length).toBeGreaterThan(0)],
      [`SELECT count(*) AS n FROM purchases p JOIN readers r ON p.email = r.email AND p.phone = r.phone`, (rows) => expect(rows).toEqual([])],
      [`SELECT r.segment, sum(p.amount) AS spend FROM purchases p JOIN readers r ON p.email = r.email WHERE TRY_CAST(p.store AS INTEGER) IS NULL GROUP BY r.segment`, (rows) => expect(rows.length).toBe(3)],
      [`SELECT count(*) FILTER (WHERE p.category = 'grocery') AS groceries, count(*) AS n ${J}`, (rows) => expect(rows[0]!.n).toBe(matched.length)],
    ];
    for (const [sql, expectRows] of shapes) {
      const outcome = await executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, retailer);
      expectRows(outcome.result.tables.custom_sql!.rows);
    }
  });

  it('refuses output names the executor reserves', async () => {
    const sql = `SELECT count(*) AS __people_0 FROM purchases p JOIN readers r ON p.email = r.email`;
    await expect(executeSqlAnalysis(fixture.room, template, 'custom_sql', { sql }, retailer)).rejects.toMatchObject({ code: 'refused', details: { refusal: { rule: 'reserved-output-name' } } });
  });
});

describe('custom SQL needs to know who runs it', () => {
  it('refuses a run without the runner’s roles', async () => {
    const fixture = await roomFixture({ encryption: 'off' });
    try {
      await expect(executeSqlAnalysis(fixture.room, plainTemplate(), 'custom_sql', { sql: 'SELECT count(*) AS n FROM readers' }, { runnerRoles: [] })).rejects.toMatchObject({
        code: 'invalid_argument',
        message: expect.stringMatching(/running party's roles/),
      });
    } finally {
      await fixture.dispose();
    }
  });
});

describe('table aliases the executor writes back into SQL', () => {
  it('a quoted alias with quotes, commas and a function stays one identifier', async () => {
    const fixture = await roomFixture({ encryption: 'off' });
    try {
      const template = plainTemplate();
      await loadRetailData(fixture, template);
      const { room, queries } = recording(fixture.room);
      const sql = `SELECT count(*) AS n FROM purchases p JOIN readers "x"", read_text('/etc/hostname') AS ""y" ON p.email = "x"", read_text('/etc/hostname') AS ""y".email`;
      const outcome = await executeSqlAnalysis(room, template, 'custom_sql', { sql }, { runnerRoles: ['retailer'] });
      expect(outcome.result.tables.custom_sql!.rows).toEqual([{ n: matched.length }]);
      expect(queries).toHaveLength(1);
    } finally {
      await fixture.dispose();
    }
  });
});
