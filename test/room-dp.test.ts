import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseMemories } from '../src/core/privacy/difference/release-memory.js';
import { MemoryReleaseMemoryStore } from '../src/core/privacy/difference/release-memory-store.js';
import { compileAggregate } from '../src/core/analyses/aggregate.js';
import { compileDpAggregate } from '../src/core/analyses/dp/compile-dp-aggregate.js';
import type { Cell, RoomEngine, RoomStore } from '../src/core/engine-port.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { stepsSql, type SummedColumn } from '../src/core/analyses/dp/bounding/steps-sql.js';
import { toFixedPoint } from '../src/core/privacy/dp/fixed-point.js';
import { partitionThreshold } from '../src/core/privacy/dp/partition-selection.js';
import { compare, toRational } from '../src/core/privacy/dp/rational.js';
import { seededRandomSource } from '../src/core/privacy/dp/random-source.js';
import { executeAnalysis } from '../src/core/analyses/execute-analysis.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import type { AnalysisParams, Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { dpData, dpTemplate, type DpTruth } from './helpers/dp-template.js';
import { actor, roomHarness } from './helpers/room-harness.js';
import { tempDir } from './helpers/run-cleanroom.js';

/**
 * DP in the built-in analyses, through the real room: DuckDB loads both parties' files,
 * the real matcher builds the match table, and `executeAnalysis` runs the bounded SQL in the
 * sandbox and releases noisy tables. Noise comes from seeded sources so the figures are
 * reproducible; production runs use the crypto source (the default). Charging the ledger is
 * start-run's job and is not exercised here.
 */
describe('differential privacy in aggregate and overlap, through the room', () => {
  let engine: RoomEngine;
  let store: RoomStore;
  let truth: DpTruth;
  const template = dpTemplate();
  const memories = new ReleaseMemories(new MemoryReleaseMemoryStore());
  const run = async (t: Template, analysis: string, params: AnalysisParams, seed: number) =>
    executeAnalysis(store, t, analysis, params, `run_${seed}`, { rng: seededRandomSource(seed), memory: await memories.open('c_dp', t.privacy.minPeople) });
  const num = (row: Record<string, Cell> | undefined, column: string): number => Number(row?.[column]);

  beforeAll(async () => {
    const dir = tempDir('cleanroom-dp-');
    engine = createDuckDbEngine({ dataDir: join(dir, 'data'), masterKey: randomBytes(32), encryption: 'off' });
    store = await engine.openRoom('c_dp', { create: true });
    truth = dpData(dir);
    await store.loadCsv(truth.readersPath, loadPlanFor(template, 'readers'));
    await store.loadCsv(truth.purchasesPath, loadPlanFor(template, 'purchases'));
    await resolveIdentity(store, template, 'readers', 'purchases');
  });
  afterAll(async () => engine.close());

  it('releases noisy people and spend near the truth, labelled, with 95% intervals that contain it', async () => {
    const n = 60;
    let people = 0;
    let sum = 0;
    let coveredPeople = 0;
    let coveredSum = 0;
    for (let i = 0; i < n; i++) {
      const outcome = await run(template, 'spend', { group_by: [], to: '2026-01-31' }, 1000 + i);
      expect(outcome.status).toBe('released');
      const table = outcome.result.tables.spend!;
      expect(table.columns).toEqual(['people', 'purchases.amount.sum', 'purchases.amount.mean']);
      const row = table.rows[0]!;
      people += num(row, 'people') - 480;
      sum += num(row, 'purchases.amount.sum') - truth.januarySum;
      if (num(row, 'people.low') <= 480 && 480 <= num(row, 'people.high')) coveredPeople++;
      if (num(row, 'purchases.amount.sum.low') <= truth.januarySum && truth.januarySum <= num(row, 'purchases.amount.sum.high')) coveredSum++;
      expect(num(row, 'purchases.amount.mean')).toBeCloseTo(num(row, 'purchases.amount.sum') / num(row, 'people'), 9);
    }
    // ε = 1 split over people and the sum: people scale k/0.5 = 2, sum scale k·m·B/0.5 = 2·500/0.5 = 2000 dollars.
    expect(Math.abs(people / n)).toBeLessThan((5 * Math.SQRT2 * 2) / Math.sqrt(n));
    expect(Math.abs(sum / n)).toBeLessThan((5 * Math.SQRT2 * 2000) / Math.sqrt(n));
    expect(coveredPeople / n).toBeGreaterThan(0.85);
    expect(coveredSum / n).toBeGreaterThan(0.85);
    const table = (await run(template, 'spend', { group_by: [] }, 1)).result.tables.spend!;
    expect(table.noise!.people).toMatchObject({ mechanism: 'discrete_laplace', parameter: 'scale=2', method: 'exact', halfWidth: 6 });
    expect(table.noise!['purchases.amount.sum']!.label).toMatch(/^noisy sum \(discrete Laplace, scale=2000 \(200000 steps of 0\.01\)\): 95% interval ±5991\.46/);
    expect(table.noise!['purchases.amount.mean']).toMatchObject({ mechanism: 'derived', halfWidth: null });
    expect(table.selection).toEqual({ kind: 'none' });
  });

  it('calibrates a sum to the cap on each person\'s total when it is below m·B, and releases it near the clamped truth', async () => {
    // m = 20 rows of up to $500: $10,000 per person uncapped; capped at $600 per person.
    const capped = dpTemplate({ maxRowsPerGroup: 20, personTotal: [0, 600] });
    const table = (await run(capped, 'spend', { group_by: [], to: '2026-01-31' }, 7)).result.tables.spend!;
    // ε = 1 split over people and the sum: scale = k·min(m·B, cap)/0.5 = 600/0.5 = 1200 dollars.
    expect(table.noise!['purchases.amount.sum']!.label).toMatch(/^noisy sum \(discrete Laplace, scale=1200 \(120000 steps of 0\.01\)\)/);
    const uncapped = (await run(dpTemplate({ maxRowsPerGroup: 20 }), 'spend', { group_by: [], to: '2026-01-31' }, 7)).result.tables.spend!;
    expect(uncapped.noise!['purchases.amount.sum']!.label).toMatch(/scale=20000 /);
    // The per-person mean lies within the cap.
    expect(num(table.rows[0]!, 'purchases.amount.mean.high')).toBeLessThanOrEqual(600);
  });

  it('uses the discrete Gaussian under a gaussian policy, ρ split between people and the sum', async () => {
    const gaussian = dpTemplate({ mechanism: 'gaussian', rho: 0.5 });
    const table = (await run(gaussian, 'spend', { group_by: [], to: '2026-01-31' }, 2)).result.tables.spend!;
    // ρ = 0.25 each: σ² = Δ²/(2ρ) = 2 for people; (2·50 000 steps)²/0.5 for the sum.
    expect(table.noise!.people).toMatchObject({ mechanism: 'discrete_gaussian', parameter: 'σ²=2', method: 'bound' });
    expect(table.noise!['purchases.amount.sum']!.parameter).toBe('σ²=20000000000');
    // The label gives σ in dollars first: √(2·10^10) steps × 0.01 ≈ 1414.21.
    expect(table.noise!['purchases.amount.sum']!.label).toMatch(/^noisy sum \(discrete Gaussian, σ=1414\.21 \(σ²=20000000000 in steps of 0\.01\)\)/);
    expect(Math.abs(num(table.rows[0], 'people') - 480)).toBeLessThan(15);
    // Private keys: selection spends the analysis's ε (Laplace thresholding), all of ρ goes to the sum.
    const byCity = (await run(gaussian, 'spend', { group_by: ['readers.city'], to: '2026-01-31' }, 3)).result.tables.spend!;
    expect(byCity.selection).toMatchObject({ kind: 'noisy_threshold', epsilon: 1, delta: 1e-7 });
    expect(byCity.rows.map((row) => row['readers.city'])).toEqual(['shelbyville', 'springfield']);
    expect(byCity.noise!.people!.label).toMatch(/partition selection/);
    expect(byCity.noise!['purchases.amount.sum']!.parameter).toBe('σ²=10000000000');
  });

  it('bounds contributions in SQL before aggregating: 1 000 rows of one person move a sum by at most m·B', async () => {
    const trueSteps = async (to: string, seed: string) => {
      const plan = compileDpAggregate(template, 'spend', { group_by: [], to }, seed);
      const { rows } = await store.query(plan.sql, plan.params);
      return { people: Number(rows[0]!.people), steps: BigInt(String(rows[0]!['purchases.amount.steps'])) };
    };
    const kept: bigint[] = [];
    for (const seed of ['a1', 'b2', 'c3', 'd4', 'e5']) {
      const without = await trueSteps('2026-02-28', seed);
      const withHeavy = await trueSteps('2026-03-01', seed);
      expect(withHeavy.people - without.people).toBe(1);
      const moved = withHeavy.steps - without.steps;
      // m = 2 rows kept, each at most B = 500.00 = 50 000 steps; the heavy rows are 490.01–500.00.
      expect(moved).toBeLessThanOrEqual(2n * 50_000n);
      expect(moved).toBeGreaterThanOrEqual(2n * 49_001n);
      expect(await trueSteps('2026-03-01', seed)).toEqual(withHeavy); // the seed decides, nothing else
      kept.push(moved);
    }
    expect(new Set(kept).size).toBeGreaterThan(1); // which rows survive changes with the per-run seed
    // Without bounding (the threshold path's SQL) the same person moves the sum by all 1 000 rows.
    const plain = async (to: string) => {
      const compiled = compileAggregate(template, 'spend', { group_by: [], to });
      return Number((await store.query(compiled.sql, compiled.params)).rows[0]!['purchases.amount.sum']);
    };
    expect((await plain('2026-03-01')) - (await plain('2026-02-28'))).toBeCloseTo(truth.heavy.total, 2);
  });

  it.each([
    ['decimal, cents (DECIMAL arithmetic)', { type: 'decimal', range: { min: -500, max: 500 }, resolution: 0.01 }],
    ['decimal, quarters (DECIMAL arithmetic)', { type: 'decimal', range: { min: -500, max: 500 }, resolution: 0.25 }],
    ['decimal, steps of 5 (HUGEINT arithmetic)', { type: 'decimal', range: { min: -500, max: 500 }, resolution: 5 }],
    ['decimal, steps of 0.3 (HUGEINT arithmetic)', { type: 'decimal', range: { min: -600, max: 600 }, resolution: 0.3 }],
    ['integer, cents (BIGINT arithmetic)', { type: 'integer', range: { min: -500, max: 500 }, resolution: 0.01 }],
    ['integer, steps of 5 (BIGINT arithmetic)', { type: 'integer', range: { min: -500, max: 500 }, resolution: 5 }],
  ] as [string, SummedColumn][])('turns values into clamped fixed-point steps exactly in SQL: %s', async (_, column) => {
    const decimals = ['2.345', '-2.345', '0.005', '-0.005', '0.004999', '7.5', '-7.5', '2.5', '12.499999', '0.15', '-0.45', '499.999999', '500', '600', '-1000000', '999999999999.999999', '0'];
    const integers = ['2', '-3', '7', '-8', '12', '13', '499', '500', '501', '-9000000000000000000', '9000000000000000000', '0'];
    const values = column.type === 'decimal' ? decimals : integers;
    const type = column.type === 'decimal' ? 'DECIMAL(18, 6)' : 'BIGINT';
    const sql = `SELECT i, ${stepsSql('x.v', column)} AS steps FROM (SELECT i, CAST(v AS ${type}) AS v FROM (VALUES ${values.map((v, i) => `(${i}, '${v}')`).join(', ')}, (${values.length}, NULL)) t(i, v)) x ORDER BY i`;
    const { rows } = await store.query(sql);
    const min = toRational(column.range.min);
    const max = toRational(column.range.max);
    values.forEach((v, i) => {
      const value = toRational(v);
      const clamped = compare(value, min) < 0 ? min : compare(value, max) > 0 ? max : value;
      expect([v, String(rows[i]!.steps)]).toEqual([v, String(toFixedPoint(clamped, column.resolution))]);
    });
    expect(rows[values.length]!.steps).toBeNull();
  });

  it('keeps at most k groups per person: two stores per buyer count once each under k = 1', async () => {
    const plan = compileDpAggregate(template, 'spend', { group_by: ['purchases.store'], to: '2026-01-31' }, 'seed');
    const { rows } = await store.query(plan.sql, plan.params);
    expect(rows.reduce((n, row) => n + Number(row.people), 0)).toBe(480);
    const compiled = compileAggregate(template, 'spend', { group_by: ['purchases.store'], to: '2026-01-31' });
    const plain = await store.query(compiled.sql, compiled.params);
    expect(plain.rows.reduce((n, row) => n + Number(row.people), 0)).toBe(960); // every buyer in both stores
    const k2 = dpTemplate({ maxGroupsPerPerson: 2 });
    const wide = compileDpAggregate(k2, 'spend', { group_by: ['purchases.store'], to: '2026-01-31' }, 'seed');
    expect((await store.query(wide.sql, wide.params)).rows.reduce((n, row) => n + Number(row.people), 0)).toBe(960);
  });

  it('releases private group keys only through partition selection: a one-person city never, large cities always', async () => {
    const threshold = Number(partitionThreshold({ epsilon: 0.5, delta: 1e-7, maxGroupsPerPerson: 1 }).threshold);
    for (let i = 0; i < 40; i++) {
      const table = (await run(template, 'spend', { group_by: ['readers.city'] }, 2000 + i)).result.tables.spend!;
      const cities = table.rows.map((row) => row['readers.city']);
      expect(cities).toEqual(['shelbyville', 'springfield']);
      expect(table.selection).toEqual({ kind: 'noisy_threshold', threshold, epsilon: 0.5, delta: 1e-7 });
      expect(JSON.stringify(table)).not.toMatch(/lonely/);
      expect(table.suppressed).toEqual({ rows: 0, belowMinimum: 0, complementary: 0, reason: null });
    }
    const table = (await run(template, 'spend', { group_by: ['readers.city'] }, 1)).result.tables.spend!;
    // People reuse selection's noisy count (scale k/(ε/2) = 2); the sum gets all of the values' ε/2.
    expect(table.noise!.people!.label).toMatch(/partition selection/);
    expect(table.noise!['purchases.amount.sum']!.parameter).toBe('scale=200000');
    for (const row of table.rows) expect(Math.abs(num(row, 'people') - truth.byCity[String(row['readers.city'])]!)).toBeLessThan(20);
  });

  it('groups by keys of both sides at once: a private key makes every combination pass selection', async () => {
    const table = (await run(template, 'spend', { group_by: ['readers.segment', 'purchases.store'], to: '2026-01-31' }, 4)).result.tables.spend!;
    expect(table.selection?.kind).toBe('noisy_threshold');
    expect(table.columns.slice(0, 3)).toEqual(['readers.segment', 'purchases.store', 'people']);
    expect(table.rows.map((row) => `${String(row['readers.segment'])}/${String(row['purchases.store'])}`)).toEqual(['news/S0', 'news/S1', 'sport/S0', 'sport/S1', 'tech/S0', 'tech/S1']);
    // Every buyer has a purchase in both stores; with k = 1 each counts in one combination only.
    const total = table.rows.reduce((n, row) => n + num(row, 'people'), 0);
    expect(Math.abs(total - 480)).toBeLessThan(40);
  });

  it('releases every public group, with the empty segment as a noisy zero', async () => {
    let business = 0;
    for (let i = 0; i < 30; i++) {
      const table = (await run(template, 'spend', { group_by: ['readers.segment'] }, 3000 + i)).result.tables.spend!;
      expect(table.rows.map((row) => row['readers.segment'])).toEqual(['news', 'sport', 'tech', 'business']);
      expect(table.selection).toEqual({ kind: 'public' });
      business += num(table.rows[3], 'people');
      for (const row of table.rows.slice(0, 3)) expect(Math.abs(num(row, 'people') - truth.bySegment[String(row['readers.segment'])]!)).toBeLessThan(25);
    }
    expect(business / 30).toBeLessThan(3); // a noisy 0 clamped at 0: about scale·q/(1−q²) on average
  });

  it('releases noisy overlap tables: overall, per match key and populations, with derived shares', async () => {
    const outcome = await run(template, 'overlap', { group_by: [] }, 7);
    expect(outcome.status).toBe('released');
    const { overall, byKey, populations } = outcome.result.tables;
    // ε = 0.9 over three tables: 0.3 each. Overall and per key: scale k/0.3; populations: 2/0.3 (one person in both).
    expect(overall!.noise!.people!.parameter).toBe('scale=3.33333');
    expect(populations!.noise!.people!.parameter).toBe('scale=6.66667');
    expect(byKey!.rows.map((row) => row.key)).toEqual(['email']);
    expect(populations!.rows.map((row) => row.dataset)).toEqual(['readers', 'purchases']);
    expect(Math.abs(num(overall!.rows[0], 'people') - truth.matched)).toBeLessThan(25);
    expect(Math.abs(num(populations!.rows[0], 'people') - 600)).toBeLessThan(40);
    expect(Math.abs(num(populations!.rows[1], 'people') - 582)).toBeLessThan(40);
    const share = num(overall!.rows[0], 'share_of_readers');
    expect(share).toBeCloseTo(num(overall!.rows[0], 'people') / num(populations!.rows[0], 'people'), 9);
    expect(num(overall!.rows[0], 'share_of_readers.low')).toBeLessThanOrEqual(share);
    expect(overall!.noise!.share_of_readers).toMatchObject({ mechanism: 'derived', confidence: 0.9 });
    const bySegment = (await run(template, 'overlap', { group_by: ['readers.segment'] }, 8)).result.tables.byKey!;
    expect(bySegment.rows.map((row) => `${String(row.key)}/${String(row['readers.segment'])}`)).toEqual(['email/news', 'email/sport', 'email/tech', 'email/business']);
  });

  describe('differencing: two runs whose filters differ by exactly one person', () => {
    // The late buyer's only purchase (321.45) is on 2026-02-01; every other one in range is in January.
    const before = { group_by: [], to: '2026-01-31' };
    const after = { group_by: [], to: '2026-02-01' };

    it('without DP, the difference check holds the second of two runs one person apart back: no exact difference', async () => {
      // Before the difference check (issue 14) both were released and b − a was the person's exact amount.
      const plain = dpTemplate({ dp: false, minPeople: 10 });
      const a = await run(plain, 'spend', before, 1);
      const b = await run(plain, 'spend', after, 1);
      expect(a.result.tables.spend!.rows).toHaveLength(1);
      expect(b.status).toBe('suppressed');
      expect(b.result.tables.spend!.rows).toEqual([]);
      expect(b.reason).toMatch(/differed by fewer than 10 people from a row released before/);
    });

    it('under DP the difference is the person plus noise, and no test tells the two worlds apart beyond e^ε', async () => {
      const epsilon = 1; // what the one run that differs (the second) costs
      const reps = 150;
      const sumDiff = { with: [] as number[], without: [] as number[] };
      const peopleDiff = { with: [] as number[], without: [] as number[] };
      for (let i = 0; i < reps; i++) {
        const first = (await run(template, 'spend', before, 10_000 + 3 * i)).result.tables.spend!.rows[0]!;
        // World 1: the second run includes the person; world 0: the same second run without them.
        const second1 = (await run(template, 'spend', after, 10_001 + 3 * i)).result.tables.spend!.rows[0]!;
        const second0 = (await run(template, 'spend', before, 10_002 + 3 * i)).result.tables.spend!.rows[0]!;
        sumDiff.with.push(num(second1, 'purchases.amount.sum') - num(first, 'purchases.amount.sum'));
        sumDiff.without.push(num(second0, 'purchases.amount.sum') - num(first, 'purchases.amount.sum'));
        peopleDiff.with.push(num(second1, 'people') - num(first, 'people'));
        peopleDiff.without.push(num(second0, 'people') - num(first, 'people'));
      }
      // The difference is the person's value plus the difference of two noises (sum scale t = 2000):
      // centred on 321.45, with the variance of two discrete Laplace draws, 2·2t² (sd 4000).
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
      const sd = Math.sqrt(4 * 2000 ** 2);
      expect(Math.abs(mean(sumDiff.with) - truth.late.amount)).toBeLessThan((4 * sd) / Math.sqrt(reps));
      expect(Math.sqrt(variance(sumDiff.with)) / sd).toBeGreaterThan(0.75);
      expect(Math.sqrt(variance(sumDiff.with)) / sd).toBeLessThan(1.3);
      expect(sumDiff.with.filter((d) => Math.abs(d - truth.late.amount) < 0.005).length).toBeLessThan(3);
      // Any rejection region S: P[S | with] ≤ e^ε·P[S | without] (+ sampling error), for both statistics.
      const se = Math.sqrt(0.25 / reps);
      for (const [withDiffs, withoutDiffs] of [
        [sumDiff.with, sumDiff.without],
        [peopleDiff.with, peopleDiff.without],
      ] as const) {
        for (const c of [-2, 0, 1, 2, 3, 5, 8, 250, 1000, 2000, 4000]) {
          const p1 = withDiffs.filter((d) => d >= c).length / reps;
          const p0 = withoutDiffs.filter((d) => d >= c).length / reps;
          expect(p1).toBeLessThanOrEqual(Math.exp(epsilon) * p0 + 3 * se);
        }
      }
      // The best threshold guess of "was the person there?" stays below e^ε/(1 + e^ε) ≈ 0.73.
      const bestAccuracy = Math.max(
        ...[0, 1, 2].map((c) => (peopleDiff.with.filter((d) => d >= c).length + peopleDiff.without.filter((d) => d < c).length) / (2 * reps)),
        ...[0, 160, 321, 500, 1000].map((c) => (sumDiff.with.filter((d) => d >= c).length + sumDiff.without.filter((d) => d < c).length) / (2 * reps)),
      );
      expect(bestAccuracy).toBeLessThan(Math.exp(epsilon) / (1 + Math.exp(epsilon)) + 2 * se);
    });
  });
});

describe('a DP aggregate and overlap run end to end through the clean room', () => {
  it('releases noisy tables from the crypto source, charged what the template says', async () => {
    const { room, dir, close } = await roomHarness();
    try {
      const publisher = actor('p_pub');
      const retailer = actor('p_ret');
      const c = await room.createCollaboration(retailer, { name: 'dp', template: dpTemplate(), members: { publisher: publisher.party, retailer: retailer.party } });
      for (const p of [publisher, retailer]) await room.attest(p, c.id, { termsVersion: '1', templateDigest: c.templateDigest });
      const truth = dpData(dir);
      await room.upload(publisher, c.id, 'readers', truth.readersPath);
      await room.upload(retailer, c.id, 'purchases', truth.purchasesPath);
      const spend = await room.run(retailer, c.id, 'spend', { group_by: ['readers.city'], to: '2026-01-31' });
      expect(spend.status).toBe('released');
      const table = spend.result!.tables.spend!;
      expect(table.rows.map((row) => row['readers.city'])).toEqual(['shelbyville', 'springfield']);
      expect(table.selection?.kind).toBe('noisy_threshold');
      expect(Object.keys(table.noise!)).toEqual(['people', 'purchases.amount.sum', 'purchases.amount.mean']);
      expect(spend.result!.privacy?.charged).toEqual({ epsilon: 1, delta: 1e-7, rho: 0 });
      const overlap = await room.run(publisher, c.id, 'overlap', {});
      expect(Object.keys(overlap.result!.tables)).toEqual(['overall', 'byKey', 'populations']);
      expect(Math.abs(Number(overlap.result!.tables.overall!.rows[0]!.people) - truth.matched)).toBeLessThan(40);
      expect(overlap.result!.privacy?.charged).toEqual({ epsilon: 0.9, delta: 0, rho: 0 });
    } finally {
      await close();
    }
  });
});
