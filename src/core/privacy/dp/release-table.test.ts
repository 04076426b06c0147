import { describe, expect, it } from 'vitest';
import { CleanRoomError } from '../../errors.js';
import { partitionThreshold } from './partition-selection.js';
import { seededRandomSource } from './random-source.js';
import { MAX_PUBLIC_GROUPS, releaseNoisyTable, type NoisyTableSpec } from './release-table.js';

const base: NoisyTableSpec = {
  dimensions: [],
  people: 'people',
  counts: [],
  sums: [],
  means: [],
  maxGroupsPerPerson: 1,
  mechanism: 'laplace',
  budget: { epsilon: 1 },
};

const revenue = { column: 'revenue', stepsColumn: 'revenue_steps', range: { min: 0, max: 100 }, resolution: 0.01, maxRowsPerGroup: 2 };

describe('releaseNoisyTable: budget split', () => {
  it('splits the values budget equally among people, each count and each sum, each calibrated to its whole vector', () => {
    const spec: NoisyTableSpec = {
      ...base,
      counts: [{ column: 'orders', maxRowsPerGroup: 2 }],
      sums: [revenue],
      maxGroupsPerPerson: 3,
      budget: { epsilon: 0.6 },
    };
    const table = releaseNoisyTable([{ people: 10, orders: 15, revenue_steps: 100_000 }], spec, seededRandomSource(1));
    // Three statistics, ε = 0.2 each: people k/ε = 15, orders k·m/ε = 30, revenue k·m·B/ε = 3·2·10 000 steps / 0.2.
    expect(table.noise!.people!.parameter).toBe('scale=15');
    expect(table.noise!.orders!.parameter).toBe('scale=30');
    expect(table.noise!.revenue!.parameter).toBe('scale=300000');
    expect(table.selection).toEqual({ kind: 'none' });
  });

  it('splits ρ under the gaussian mechanism (zCDP adds the parts back up)', () => {
    const spec: NoisyTableSpec = { ...base, counts: [{ column: 'orders', maxRowsPerGroup: 1 }], mechanism: 'gaussian', budget: { rho: 0.5 } };
    const table = releaseNoisyTable([{ people: 10, orders: 15 }], spec, seededRandomSource(1));
    // ρ = 0.25 each: σ² = Δ²/(2ρ) = 1/0.5 = 2.
    expect(table.noise!.people).toMatchObject({ mechanism: 'discrete_gaussian', parameter: 'σ²=2', method: 'bound' });
    expect(table.noise!.orders!.parameter).toBe('σ²=2');
  });

  it('reuses the noisy people count of partition selection, so only the other statistics share the values budget', () => {
    const spec: NoisyTableSpec = { ...base, dimensions: ['store'], sums: [{ ...revenue, maxRowsPerGroup: 1 }], budget: { epsilon: 0.5, selectionEpsilon: 0.5, selectionDelta: 1e-6 } };
    const table = releaseNoisyTable([{ store: 'S1', people: 1000, revenue_steps: 1_000_000 }], spec, seededRandomSource(2));
    expect(table.noise!.people).toMatchObject({ parameter: 'scale=2', label: expect.stringMatching(/partition selection/) });
    expect(table.noise!.revenue!.parameter).toBe('scale=20000'); // all of ε = 0.5 on the one sum
    expect(table.selection).toEqual({ kind: 'noisy_threshold', threshold: Number(partitionThreshold({ epsilon: 0.5, delta: 1e-6, maxGroupsPerPerson: 1 }).threshold), epsilon: 0.5, delta: 1e-6 });
  });

  it('noises a count-only table under selection again from the values budget rather than leave it unspent', () => {
    const spec: NoisyTableSpec = { ...base, dimensions: ['store'], budget: { epsilon: 0.5, selectionEpsilon: 0.5, selectionDelta: 1e-6 } };
    const table = releaseNoisyTable([{ store: 'S1', people: 1000 }], spec, seededRandomSource(2));
    expect(table.noise!.people).toMatchObject({ parameter: 'scale=2', label: expect.stringMatching(/^noisy count of people \(discrete Laplace/) });
  });

  it('refuses a spec it cannot honour, naming what is missing', () => {
    const rng = seededRandomSource(3);
    expect(() => releaseNoisyTable([], { ...base, budget: {} }, rng)).toThrow(/without budget\.epsilon/);
    expect(() => releaseNoisyTable([], { ...base, dimensions: ['store'] }, rng)).toThrow(/selectionEpsilon and selectionDelta/);
    expect(() => releaseNoisyTable([{ people: 1 }, { people: 2 }], base, rng)).toThrow(/appears twice/);
    expect(() => releaseNoisyTable([{ people: 1.5 }], base, rng)).toThrow(CleanRoomError);
    expect(() => releaseNoisyTable([{ people: -1 }], base, rng)).toThrow(/cannot be negative/);
  });
});

describe('releaseNoisyTable: accuracy', () => {
  it('is unbiased and its 95% intervals cover the truth ≈95% of the time (people, counts, sums)', () => {
    const spec: NoisyTableSpec = { ...base, counts: [{ column: 'orders', maxRowsPerGroup: 2 }], sums: [{ ...revenue, range: { min: -50, max: 100 } }], budget: { epsilon: 0.9 } };
    const truth = { people: 500, orders: 800, revenue_steps: 2_000_000 };
    const rng = seededRandomSource(95);
    const n = 8000;
    const error = { people: 0, orders: 0, revenue: 0 };
    const covered = { people: 0, orders: 0, revenue: 0 };
    const truths = { people: 500, orders: 800, revenue: 20_000 };
    for (let i = 0; i < n; i++) {
      const row = releaseNoisyTable([truth], spec, rng).rows[0]!;
      for (const c of ['people', 'orders', 'revenue'] as const) {
        error[c] += Number(row[c]) - truths[c];
        if (Number(row[`${c}.low`]) <= truths[c] && truths[c] <= Number(row[`${c}.high`])) covered[c]++;
      }
    }
    // Scales: people 3/0.9·1 = 3.33, orders 6.67, revenue 3·2·10 000 steps / 0.9 → sd ≈ √2·t.
    const sd = { people: Math.SQRT2 * (3 / 0.9), orders: Math.SQRT2 * (6 / 0.9), revenue: (Math.SQRT2 * (3 * 2 * 10_000)) / 0.9 / 100 };
    for (const c of ['people', 'orders', 'revenue'] as const) {
      expect(Math.abs(error[c] / n)).toBeLessThan((5 * sd[c]) / Math.sqrt(n));
      expect(covered[c] / n).toBeGreaterThan(0.95 - 4 * Math.sqrt((0.95 * 0.05) / n));
      expect(covered[c] / n).toBeLessThan(0.98);
    }
  });

  it('releases counts below 0 as 0 and keeps the interval inside [0, ∞)', () => {
    const rng = seededRandomSource(7);
    const rows = Array.from({ length: 400 }, () => releaseNoisyTable([{ people: 0 }], { ...base, budget: { epsilon: 0.2 } }, rng).rows[0]!);
    expect(rows.every((r) => Number(r.people) >= 0 && Number(r['people.low']) >= 0 && Number(r['people.high']) >= Number(r.people))).toBe(true);
    expect(rows.filter((r) => r.people === 0).length).toBeGreaterThan(150); // about half the draws were negative
  });

  it('derives a mean from the noisy sum and the noisy people count, inside the range a mean per person can take', () => {
    const spec: NoisyTableSpec = { ...base, sums: [revenue], means: [{ column: 'revenue.mean', sum: 'revenue', count: 'people' }], budget: { epsilon: 2 } };
    const rng = seededRandomSource(11);
    let covered = 0;
    for (let i = 0; i < 2000; i++) {
      const row = releaseNoisyTable([{ people: 2000, revenue_steps: 2000 * 4000 }], spec, rng).rows[0]!;
      expect(Number(row['revenue.mean'])).toBeCloseTo(Number(row.revenue) / Number(row.people), 9);
      if (Number(row['revenue.mean.low']) <= 40 && 40 <= Number(row['revenue.mean.high'])) covered++;
    }
    expect(covered / 2000).toBeGreaterThan(0.9);
    const note = releaseNoisyTable([], spec, rng).noise!['revenue.mean']!;
    expect(note).toMatchObject({ mechanism: 'derived', method: 'derived', halfWidth: null, confidence: 0.9 });
    expect(note.label).toMatch(/within \[0, 200\]/); // up to m = 2 rows of at most 100 per person
    const empty = releaseNoisyTable([{ people: 0, revenue_steps: 0 }], { ...spec, budget: { epsilon: 100 } }, seededRandomSource(1)).rows[0]!;
    expect(empty['revenue.mean']).toBeNull();
  });

  it('reads big sums given as decimal text exactly', () => {
    const big = '90071992547409930'; // beyond 2^53
    const spec: NoisyTableSpec = { ...base, sums: [{ ...revenue, range: { min: 0, max: 1e6 } }], budget: { epsilon: 1e6 } }; // scale 2·10⁸ steps ÷ 10⁶ = 2 cents
    const row = releaseNoisyTable([{ people: 5, revenue_steps: big }], spec, seededRandomSource(5)).rows[0]!;
    expect(Math.abs(Number(row.revenue) - Number(big) / 100)).toBeLessThan(100);
  });
});

describe('releaseNoisyTable: groups', () => {
  const selecting: NoisyTableSpec = { ...base, dimensions: ['store'], budget: { epsilon: 0.5, selectionEpsilon: 0.5, selectionDelta: 1e-6 } };
  const threshold = Number(partitionThreshold({ epsilon: 0.5, delta: 1e-6, maxGroupsPerPerson: 1 }).threshold);

  it('releases a private key only through the noisy threshold: a large group always, a one-person group never in 2 000 runs', () => {
    const rng = seededRandomSource(13);
    let large = 0;
    let small = 0;
    for (let i = 0; i < 2000; i++) {
      const table = releaseNoisyTable([{ store: 'big', people: 500 }, { store: 'tiny', people: 1 }], selecting, rng);
      if (table.rows.some((r) => r.store === 'big')) large++;
      if (table.rows.some((r) => r.store === 'tiny')) small++;
      expect(table.suppressed).toEqual({ rows: 0, belowMinimum: 0, complementary: 0, reason: null }); // nothing about the rest
    }
    expect(large).toBe(2000);
    expect(small).toBe(0);
  });

  it('releases a group at the threshold about half the time, never a group with no people', () => {
    const rng = seededRandomSource(17);
    let kept = 0;
    for (let i = 0; i < 2000; i++) {
      const table = releaseNoisyTable([{ store: 'edge', people: threshold }, { store: 'none', people: 0 }], selecting, rng);
      if (table.rows.some((r) => r.store === 'edge')) kept++;
      expect(table.rows.some((r) => r.store === 'none')).toBe(false);
    }
    // P[X ≥ 0] = 1/(1+q) + ... ≈ 0.5 + pmf(0)/2 for the discrete Laplace of scale 2.
    expect(kept / 2000).toBeGreaterThan(0.5);
    expect(kept / 2000).toBeLessThan(0.7);
  });

  it('releases every public combination in declared order, absent ones from a true 0', () => {
    const spec: NoisyTableSpec = { ...base, dimensions: ['region', 'tier'], publicGroups: { region: ['north', 'south'], tier: ['gold', 'silver'] }, budget: { epsilon: 1 } };
    const rng = seededRandomSource(19);
    const rows = [{ region: 'north', tier: 'gold', people: 1000 }, { region: null, tier: 'gold', people: 300 }];
    const table = releaseNoisyTable(rows, spec, rng);
    expect(table.rows.map((r) => `${String(r.region)}/${String(r.tier)}`)).toEqual(['north/gold', 'north/silver', 'south/gold', 'south/silver']);
    expect(table.selection).toEqual({ kind: 'public' });
    expect(Math.abs(Number(table.rows[0]!.people) - 1000)).toBeLessThan(20);
    let zeroSum = 0;
    for (let i = 0; i < 2000; i++) zeroSum += Number(releaseNoisyTable(rows, spec, rng).rows[3]!['people.high']);
    expect(zeroSum / 2000).toBeLessThan(10); // empty groups stay near 0
  });

  it('falls back to partition selection beyond the cap of public combinations', () => {
    const many = Array.from({ length: 101 }, (_, i) => `v${i}`);
    const spec: NoisyTableSpec = { ...selecting, dimensions: ['a', 'b'], publicGroups: { a: many, b: many } };
    expect(101 * 101).toBeGreaterThan(MAX_PUBLIC_GROUPS);
    const table = releaseNoisyTable([{ a: 'v1', b: 'v2', people: 400 }], spec, seededRandomSource(23));
    expect(table.selection?.kind).toBe('noisy_threshold');
    expect(table.rows).toHaveLength(1);
    expect(() => releaseNoisyTable([], { ...spec, budget: { epsilon: 1 } }, seededRandomSource(1))).toThrow(/partition selection/);
  });

  it('labels every noisy column and lists the released columns', () => {
    const spec: NoisyTableSpec = { ...base, counts: [{ column: 'orders', maxRowsPerGroup: 1 }], sums: [revenue], means: [{ column: 'revenue.mean', sum: 'revenue', count: 'orders' }], budget: { epsilon: 3 } };
    const table = releaseNoisyTable([], spec, seededRandomSource(29));
    expect(table.columns).toEqual(['people', 'orders', 'revenue', 'revenue.mean']);
    expect(table.noise!.people!.label).toMatch(/^noisy count of people \(discrete Laplace, scale=1\): 95% interval ±3; values below 0 shown as 0$/);
    expect(table.noise!.revenue!.label).toMatch(/noisy sum \(discrete Laplace, scale=200 \(20000 steps of 0\.01\)\): 95% interval ±\d+/);
    expect(Object.keys(table.rows[0]!)).toEqual(expect.arrayContaining(['people.low', 'people.high', 'orders.low', 'revenue.high', 'revenue.mean.low']));
  });
});
