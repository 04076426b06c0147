import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAttribution } from '../src/core/analyses/attribution.js';
import type { Cell, RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { guardResult } from '../src/core/privacy/guard-result.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { paramsSchema } from '../src/core/template/index.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';
import { attributionFiles, DAY, expectedAttribution, generatePeople } from './helpers/attribution-data.js';
import type { TruthPerson, TruthQuery, TruthRow } from './helpers/attribution-data.js';
import { tempDir } from './helpers/run-cleanroom.js';

const FBPCS = join(import.meta.dirname, '..', '..', 'shared', 'truth', 'fbpcs', 'fbpcs', 'emp_games');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('attribution', () => {
  const dir = tempDir('cleanroom-attribution-');
  let engine: RoomEngine;
  let template: Template;

  beforeAll(async () => {
    template = (await loadReadyTemplates(join(import.meta.dirname, '..', 'templates'))).get('offline-sales-attribution')!.template;
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
  });
  afterAll(async () => {
    await engine.close();
  });

  /** Validates the parameters as the room would, compiles, and runs in the sandbox. */
  async function run(room: RoomStore, input: Record<string, unknown>): Promise<Record<string, Cell>[]> {
    const params = paramsSchema(template.analyses.attribution!).parse(input);
    const compiled = compileAttribution(template, 'attribution', params);
    return [...(await room.query(compiled.sql, compiled.params)).rows];
  }

  /** A room from hashed CSV text (`email` is hashed here), matched. */
  async function roomOf(name: string, exposures: string[][], transactions: string[][]): Promise<RoomStore> {
    const room = await engine.openRoom(name, { create: true });
    const write = (file: string, header: string, rows: string[][]): string => {
      writeFileSync(join(dir, file), [header, ...rows.map((r) => [...r.slice(0, -1), sha(r.at(-1)!)].join(','))].join('\n') + '\n');
      return join(dir, file);
    };
    await room.loadCsv(write(`${name}-x.csv`, 'user_id,campaign,exposed_at,email', exposures), loadPlanFor(template, 'exposures'));
    await room.loadCsv(write(`${name}-t.csv`, 'customer_id,revenue,store,product_code,purchased_at,email', transactions), loadPlanFor(template, 'transactions'));
    await resolveIdentity(room, template, 'exposures', 'transactions');
    return room;
  }

  describe('against a generated ground truth', () => {
    let room: RoomStore;
    let people: TruthPerson[];

    beforeAll(async () => {
      people = generatePeople({ matched: 600, publisherOnly: 150, retailerOnly: 150 });
      const files = await attributionFiles(dir, people);
      room = await engine.openRoom('truth', { create: true });
      await room.loadCsv(files.exposures, loadPlanFor(template, 'exposures'));
      await room.loadCsv(files.transactions, loadPlanFor(template, 'transactions'));
      const report = await resolveIdentity(room, template, 'exposures', 'transactions');
      expect(report.byKey.map((k) => k.matched)).toEqual([200, 200, 200]);
    });

    /** Rows keyed like the truth: JSON of [campaign, ...group-by values]. */
    function expectRows(rows: Record<string, Cell>[], columns: string[], truth: Map<string, TruthRow>): void {
      const got = new Map(rows.map((r) => [JSON.stringify(['campaign', ...columns].map((c) => r[c])), r]));
      expect([...got.keys()].sort()).toEqual([...truth.keys()].sort());
      for (const [key, want] of truth) {
        const row = got.get(key)!;
        expect(row.converters, key).toBe(want.converters);
        expect(row.people, key).toBe(want.converters);
        // Fractional sums (even split) are added in another order by DuckDB: equal to 1e-9, relative.
        expect(Math.abs(Number(row.conversions) - want.conversions), key).toBeLessThanOrEqual(1e-9 * Math.max(1, want.conversions));
        expect(Math.abs(Number(row.revenue) - want.revenue), key).toBeLessThanOrEqual(1e-9 * Math.max(1, want.revenue));
      }
    }

    it('exercises the edges it is meant to: ties, window ends, early purchases, unmatched buyers', () => {
      const matched = people.filter((p) => p.matchedBy !== null);
      const atEdge = (offset: number) => matched.flatMap((p) => p.purchases.filter((q) => p.exposures.some((e) => q.ts - e.ts === offset))).length;
      expect(atEdge(0)).toBeGreaterThan(10);
      expect(atEdge(7 * DAY)).toBeGreaterThan(10);
      expect(atEdge(30 * DAY)).toBeGreaterThan(10);
      expect(matched.filter((p) => p.exposures.some((e, i) => p.exposures.some((f, j) => i !== j && e.ts === f.ts))).length).toBeGreaterThan(10);
      expect(matched.filter((p) => p.purchases.some((q) => p.exposures.every((e) => q.ts < e.ts))).length).toBeGreaterThan(10);
      expect(people.filter((p) => p.matchedBy === null && p.purchases.length > 0).length).toBeGreaterThan(50);
    });

    const models = ['last_touch', 'first_touch', 'even_split'] as const;
    it.each(models.flatMap((model) => [7, 30].map((lookbackDays) => ({ model, lookbackDays }))))('$model over $lookbackDays days, by campaign', async (query) => {
      const truth = expectedAttribution(people, query);
      expect(truth.size).toBe(4);
      expectRows(await run(room, { model: query.model, lookback_days: query.lookbackDays }), [], truth);
    });

    it.each<TruthQuery>([
      ...models.map((model) => ({ model, lookbackDays: 30, groupBy: ['store'] as const })),
      ...models.map((model) => ({ model, lookbackDays: 7, groupBy: ['channel'] as const })),
      { model: 'even_split', lookbackDays: 14, groupBy: ['channel', 'store'] },
    ])('$model over $lookbackDays days, by campaign and $groupBy', async (query) => {
      const columns = (query.groupBy ?? []).map((g) => (g === 'store' ? 'transactions.store' : 'exposures.channel'));
      const groupBy = (query.groupBy ?? []).map((g) => (g === 'store' ? 'transactions.store' : 'exposures.channel'));
      expectRows(await run(room, { model: query.model, lookback_days: query.lookbackDays, group_by: groupBy }), columns, expectedAttribution(people, query));
    });

    it.each(models)('%s counts only purchases within the date filter, both bounds inclusive', async (model) => {
      const query = { model, lookbackDays: 30, from: '2024-03-20', to: '2024-04-10' };
      const rows = await run(room, { model, lookback_days: 30, purchased_from: query.from, purchased_to: query.to });
      expectRows(rows, [], expectedAttribution(people, query));
      const unfiltered = await run(room, { model, lookback_days: 30 });
      expect(rows.reduce((s, r) => s + Number(r.conversions), 0)).toBeLessThan(unfiltered.reduce((s, r) => s + Number(r.conversions), 0));
    });
  });

  describe('boundaries', () => {
    let room: RoomStore;
    beforeAll(async () => {
      room = await roomOf(
        'edges',
        [
          ['u1', 'alpha', '2024-05-01T12:00:00Z', 'a'],
          ['u3', 'beta', '2024-05-02T00:00:00Z', 'c'],
          ['u3', 'alpha', '2024-05-02T00:00:00Z', 'c'],
          ['u4', 'gamma', '2024-05-01T00:00:00Z', 'd'],
          ['u4', 'delta', '2024-05-03T00:00:00Z', 'd'],
        ],
        [
          ['c1', '10', 's1', 'p', '2024-05-01T12:00:00Z', 'a'], // exactly at the exposure: counts
          ['c1', '20', 's1', 'p', '2024-05-08T11:59:59Z', 'a'], // one second before the 7-day window ends: counts
          ['c1', '1000', 's1', 'p', '2024-05-08T14:00:00+02:00', 'a'], // exactly at the window end (12:00Z): does not
          ['c1', '3000', 's1', 'p', '2024-05-01T11:59:59Z', 'a'], // before any exposure: does not
          ['c2', '5000', 's1', 'p', '2024-05-01T12:00:00Z', 'b'], // an unmatched buyer: never
          ['c3', '40', 's2', 'p', '2024-05-02T01:00:00Z', 'c'], // two exposures at the same second
          ['c4', '100', 's2', 'p', '2024-05-04T00:00:00Z', 'd'],
        ],
      );
    });

    const row = (campaign: string, conversions: number, revenue: number, people: number) => ({ campaign, people, conversions, revenue, converters: people });
    it('last touch: the latest exposure, ties to the smallest campaign; [exposure, exposure + lookback)', async () => {
      expect(await run(room, { model: 'last_touch', lookback_days: 7 })).toEqual([row('alpha', 3, 70, 2), row('delta', 1, 100, 1)]);
    });
    it('first touch: the earliest exposure, ties to the smallest campaign', async () => {
      expect(await run(room, { model: 'first_touch', lookback_days: 7 })).toEqual([row('alpha', 3, 70, 2), row('gamma', 1, 100, 1)]);
    });
    it('even split: 1/n of the conversion and its value to each attributable exposure', async () => {
      expect(await run(room, { model: 'even_split', lookback_days: 7 })).toEqual([
        row('alpha', 2.5, 50, 2),
        row('beta', 0.5, 20, 1),
        row('delta', 0.5, 50, 1),
        row('gamma', 0.5, 50, 1),
      ]);
    });
    it('a longer window takes in the purchase at the old window end', async () => {
      expect(await run(room, { model: 'last_touch', lookback_days: 8 })).toEqual([row('alpha', 4, 1070, 2), row('delta', 1, 100, 1)]);
    });
    it('groups by a conversion dimension, and the date filter covers whole days', async () => {
      expect(await run(room, { model: 'last_touch', lookback_days: 7, group_by: ['transactions.store'] })).toEqual([
        { campaign: 'alpha', 'transactions.store': 's1', people: 1, conversions: 2, revenue: 30, converters: 1 },
        { campaign: 'alpha', 'transactions.store': 's2', people: 1, conversions: 1, revenue: 40, converters: 1 },
        { campaign: 'delta', 'transactions.store': 's2', people: 1, conversions: 1, revenue: 100, converters: 1 },
      ]);
      expect(await run(room, { model: 'last_touch', lookback_days: 7, purchased_from: '2024-05-02', purchased_to: '2024-05-02' })).toEqual([row('alpha', 1, 40, 1)]);
    });
  });

  describe('fbpcs Private Attribution fixtures (last_touch_1d)', () => {
    /** Exposures (id, ad, unix seconds) and conversions (id, unix seconds, value) as room rows. */
    async function fbpcsRoom(name: string, touches: [string, string, number][], convs: [string, number, number][]): Promise<RoomStore> {
      return roomOf(
        name,
        touches.map(([id, ad, ts]) => [id, ad, iso(ts * 1000), id]),
        convs.map(([id, ts, value]) => [id, String(value), 's', 'p', iso(ts * 1000), id]),
      );
    }
    /**
     * The conversions where fbpcs's click-over-view priority can change the winner: among the attributable
     * touches (by either window rule, valid timestamps only), a view at or after the latest click.
     */
    const priorityMatters = (touches: { id: string; ts: number; click: boolean }[], convs: [string, number, number][]) =>
      convs.filter(([id, c]) => {
        const near = touches.filter((t) => t.id === id && t.ts > 0 && t.ts <= c && c <= t.ts + 86_400);
        const clickTimes = near.filter((t) => t.click).map((t) => t.ts);
        return clickTimes.length > 0 && near.some((t) => !t.click && t.ts >= Math.max(...clickTimes));
      });
    const perAd = (rows: Record<string, Cell>[]) => Object.fromEntries(rows.map((r) => [r.campaign, [r.conversions, r.revenue]]));
    const csvRows = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

    it('attribution_e2e_test: equal to fbpcs once their invalid touchpoints (timestamp 0 or -1) are left out', async () => {
      const at = join(FBPCS, 'attribution', 'test', 'attribution_e2e_test');
      const touches = csvRows(join(at, 'publisher_e2e_input.csv')).map(([id, ad, ts]) => [id!, ad!, Number(ts)] as [string, string, number]);
      const convs = csvRows(join(at, 'partner_e2e_input.csv')).map(([id, ts, v]) => [id!, Number(ts), Number(v)] as [string, number, number]);
      const expected = JSON.parse(readFileSync(join(at, 'publisher_expected_result.json'), 'utf8')).last_touch_1d.measurement;
      // No conversion here has a view at or after its latest click, so recency alone must agree with fbpcs.
      const kinds = csvRows(join(at, 'publisher_e2e_input.csv')).map(([id, , ts, click]) => ({ id: id!, ts: Number(ts), click: click === '1' }));
      expect(priorityMatters(kinds, convs)).toEqual([]);
      expect(expected).toEqual({ '1': { convs: 1000, sales: 1212700 }, '2': { convs: 900, sales: 1213300 }, '3': { convs: 200, sales: 504800 }, '4': { convs: -1, sales: -1 } });

      // fbpcs drops touchpoints with a timestamp <= 0 as invalid; these fixtures use 0 and -1 as that marker.
      const valid = await fbpcsRoom('e2e-valid', touches.filter((t) => t[2] > 0), convs);
      const rows = await run(valid, { model: 'last_touch', lookback_days: 1 });
      expect(perAd(rows)).toEqual({ '1': [1000, 1212700], '2': [900, 1213300], '3': [200, 504800] });
      expect(rows.map((r) => r.people)).toEqual([900, 900, 100]);
      // Their k-anonymity suppresses ad 4 (0 conversions); ours has no row for it at all.
      const guarded = guardResult(rows, compileAttribution(template, 'attribution', { model: 'last_touch', lookback_days: 1 }).shape, { minPeople: 100, rounding: null });
      expect(guarded.rows.map((r) => r.campaign)).toEqual(['1', '2', '3']);

      // Read literally, timestamps 0 and -1 are real times: 100 people with one view at 0 buy at 200, and 100 with one
      // view at -1 buy at 100; both are within a day, so ad 1 gains 200 conversions (101,600 + 101,700).
      const literal = await fbpcsRoom('e2e-literal', touches, convs);
      expect(perAd(await run(literal, { model: 'last_touch', lookback_days: 1 }))).toEqual({ '1': [1200, 1416000], '2': [900, 1213300], '3': [200, 504800] });
    });

    /** The arrays-per-user fixtures (`[1, 2]` unquoted inside a CSV line). */
    const arrayRows = (file: string) =>
      readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => (l.match(/\[[^\]]*\]|[^,]+/g) ?? []).map((f) => (f.startsWith('[') ? (JSON.parse(f) as number[]) : f)));

    it.each<{ fixture: string; expected: Record<'1' | '2' | '3', [number, number]> }>([
      { fixture: 'pcf2_attribution', expected: { '1': [15, 20260], '2': [9, 12133], '3': [2, 5048] } },
      { fixture: 'attribution', expected: { '1': [14, 19232], '2': [9, 12133], '3': [2, 5048] } },
    ])('$fixture/test_correctness: equal to fbpcs but for the one conversion where their click beats a later view', async ({ fixture, expected }) => {
      const at = join(FBPCS, fixture, 'test', 'test_correctness');
      const publisher = arrayRows(join(at, 'last_touch_1d.publisher.csv'));
      const partner = arrayRows(join(at, 'last_touch_1d.partner.csv'));
      const touches = publisher.flatMap(([id, ads, tss]) => (ads as number[]).map((ad, i) => [id as string, String(ad), (tss as number[])[i]!] as [string, string, number]));
      const convs = partner.flatMap(([id, tss, values]) => (tss as number[]).map((ts, i) => [id as string, ts, (values as number[])[i]!] as [string, number, number]));
      const measurement = JSON.parse(readFileSync(join(FBPCS, fixture === 'attribution' ? fixture : 'pcf2_aggregation', 'test', 'test_correctness', 'last_touch_1d.measurement.json'), 'utf8')).last_touch_1d.measurement;
      for (const [ad, [convs, sales]] of Object.entries(expected)) expect(measurement[ad]).toEqual({ convs, sales });
      const kinds = publisher.flatMap(([id, , tss, clicks]) => (tss as number[]).map((ts, i) => ({ id: id as string, ts, click: (clicks as number[])[i] === 1 })));
      expect(priorityMatters(kinds, convs)).toEqual([['27', 250, 1027]]);

      const room = await fbpcsRoom(`correctness-${fixture}`, touches.filter((t) => t[2] > 0), convs);
      // User 27 saw a click on ad 1 at 100 and a view of ad 2 at 200, and bought (1027) at 250:
      // fbpcs prefers any click to any view (ad 1); we credit the latest exposure (ad 2).
      const ours = { ...expected, '1': [expected['1'][0] - 1, expected['1'][1] - 1027], '2': [expected['2'][0] + 1, expected['2'][1] + 1027] };
      expect(perAd(await run(room, { model: 'last_touch', lookback_days: 1 }))).toEqual(ours);
    });
  });
});
