import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateTemplate, type Template } from '../../src/core/template/index.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Settings of {@link dpTemplate}. */
export interface DpTemplateOptions {
  mechanism?: 'laplace' | 'gaussian';
  /** ε of one `spend` run (laplace), or its selection ε (gaussian). Default 1. */
  epsilon?: number;
  /** ρ of one `spend` run under gaussian. Default 0.5. */
  rho?: number;
  /** k and m of `spend`. Default 1 and 2. */
  maxGroupsPerPerson?: number;
  maxRowsPerGroup?: number;
  /** Turn DP off (thresholds of `minPeople` instead), for the attacks DP stops. */
  dp?: boolean;
  minPeople?: number;
  /** `spend`'s cap on each person's total amount in a group, if any. */
  personTotal?: [number, number];
}

/**
 * A two-party DP template: a publisher's `readers` (email; public `segment` with declared
 * values, one of them nobody has; free-text `city`, so groups by city pass partition
 * selection) and a retailer's `purchases` (several rows per customer; free-text `store`;
 * `amount` in [0, 500]; `day`). `spend` aggregates buyers and amount by any of those keys,
 * filtered by day; `overlap` counts matched readers overall, per match key and by segment.
 *
 * @example
 * ```ts
 * const template = dpTemplate({ epsilon: 1, maxRowsPerGroup: 2 });
 * ```
 */
export function dpTemplate(options: DpTemplateOptions = {}): Template {
  const { mechanism = 'laplace', epsilon = 1, rho = 0.5, maxGroupsPerPerson = 1, maxRowsPerGroup = 2, dp = true, minPeople = 10, personTotal } = options;
  const cost = mechanism === 'laplace' ? { epsilon } : { rho, epsilon };
  const json = {
    name: 'dp-test',
    title: 'DP test collaboration',
    version: '1.0.0',
    description: 'Readers × purchases under differential privacy, for tests.',
    roles: {
      publisher: { abilities: ['contributes', 'runs', 'receives'], description: 'Brings readers.' },
      retailer: { abilities: ['contributes', 'runs', 'receives'], description: 'Brings purchases.' },
    },
    datasets: {
      readers: {
        owner: 'publisher',
        description: 'One row per reader.',
        columns: {
          email: { type: 'string', identifier: 'email', required: true, description: 'Email.' },
          segment: { type: 'string', role: 'dimension', required: true, allowedValues: ['news', 'sport', 'tech', 'business'], description: 'Segment (nobody reads business).' },
          city: { type: 'string', role: 'dimension', required: true, description: 'City, free text.' },
        },
      },
      purchases: {
        owner: 'retailer',
        description: 'One row per purchase.',
        personKey: 'customer_id',
        columns: {
          customer_id: { type: 'string', role: 'person_key', required: true, description: 'Customer.' },
          email: { type: 'string', identifier: 'email', required: true, description: 'Email.' },
          store: { type: 'string', role: 'dimension', required: true, description: 'Store, free text.' },
          amount: { type: 'decimal', role: 'measure', required: true, range: [0, 500], description: 'Amount.' },
          day: { type: 'date', role: 'timestamp', required: true, description: 'Day of purchase.' },
        },
      },
    },
    identity: { profile: 'default', hashing: 'client', matchKeys: [['email']] },
    analyses: {
      spend: {
        kind: 'aggregate',
        description: 'Buyers and spend.',
        datasets: ['readers', 'purchases'],
        runs: ['publisher', 'retailer'],
        receives: ['publisher', 'retailer'],
        measures: ['purchases.amount'],
        params: {
          group_by: { type: 'string[]', description: 'Keys.', allowedValues: ['readers.segment', 'readers.city', 'purchases.store'], max: 2, default: [] },
          from: { type: 'date', description: 'First day.', filter: { column: 'purchases.day', op: 'gte' } },
          to: { type: 'date', description: 'Last day.', filter: { column: 'purchases.day', op: 'lte' } },
        },
        ...(dp ? { dp: { ...cost, maxGroupsPerPerson, maxRowsPerGroup, resolution: 0.01, ...(personTotal ? { personTotals: { 'purchases.amount': personTotal } } : {}) } } : {}),
      },
      overlap: {
        kind: 'overlap',
        description: 'Matched readers.',
        datasets: ['readers', 'purchases'],
        runs: ['publisher', 'retailer'],
        receives: ['publisher', 'retailer'],
        params: { group_by: { type: 'string[]', description: 'Keys.', allowedValues: ['readers.segment'], max: 1, default: [] } },
        ...(dp ? { dp: mechanism === 'laplace' ? { epsilon: 0.9 } : { rho: 0.3 } } : {}),
      },
    },
    privacy: {
      minPeople,
      rounding: null,
      reviewBy: [],
      dp: dp ? { unit: 'person', mechanism, budget: { epsilon: 100, delta: 1e-5 }, perParty: null, refreshDays: null, selectionDelta: 1e-7 } : null,
    },
    retentionDays: 30,
    terms: { version: '1', text: 'For tests only.' },
  };
  const result = validateTemplate(json);
  if (!result.ok) throw new Error(`dp test template is invalid: ${JSON.stringify(result.problems)}`);
  return result.template;
}

/** What {@link dpData} wrote, and the truth a test checks against. */
export interface DpTruth {
  readersPath: string;
  purchasesPath: string;
  /** Matched buyers (readers who are customers), the heavy buyer and the late buyer included. */
  matched: number;
  /** Matched buyers by reader segment. */
  bySegment: Record<string, number>;
  /** Matched buyers by city ('lonely_town' holds one). */
  byCity: Record<string, number>;
  /** The late buyer: one purchase, on 2026-02-01 only (every other purchase is in January, the heavy buyer's on 2026-03-01). */
  late: { amount: number; day: string };
  /** The heavy buyer: `rows` purchases on 2026-03-01 at store 'S0', of 500, 499.99, 499.98, … (distinct, so none is de-duplicated). */
  heavy: { rows: number; total: number; day: string };
  /** Sum of amounts of matched purchases in January (each ordinary buyer has 2 rows ≤ m). */
  januarySum: number;
}

/**
 * Writes the two parties' prepared CSVs (identifiers already SHA-256 hashed, as `client`
 * hashing expects): 600 readers (segments news/sport/tech, cities springfield/shelbyville and
 * one reader in lonely_town), 480 of them customers with two January purchases each (one
 * in store S0, one in S1), 100
 * customers who are not readers, a late buyer and a heavy buyer.
 *
 * @example
 * ```ts
 * const truth = dpData(dir);
 * await room.upload(publisher, c.id, 'readers', truth.readersPath);
 * ```
 */
export function dpData(dir: string, options: { heavyRows?: number } = {}): DpTruth {
  const { heavyRows = 1000 } = options;
  const segments = ['news', 'sport', 'tech'];
  const readers = ['email,segment,city'];
  const purchases = ['customer_id,email,store,amount,day'];
  const bySegment: Record<string, number> = { news: 0, sport: 0, tech: 0, business: 0 };
  const byCity: Record<string, number> = { springfield: 0, shelbyville: 0, lonely_town: 0 };
  let januarySum = 0;
  const LATE = 598;
  const HEAVY = 599;
  for (let i = 0; i < 600; i++) {
    const segment = segments[i % 3]!;
    const city = i === 7 ? 'lonely_town' : i % 2 === 0 ? 'springfield' : 'shelbyville';
    readers.push(`${sha(`r${i}@x.com`)},${segment},${city}`);
    const buyer = i < 480 || i === LATE || i === HEAVY;
    if (!buyer) continue;
    bySegment[segment]!++;
    byCity[city]!++;
    if (i === LATE) {
      purchases.push(`C${i},${sha(`r${i}@x.com`)},S1,321.45,2026-02-01`);
    } else if (i === HEAVY) {
      for (let j = 0; j < heavyRows; j++) purchases.push(`C${i},${sha(`r${i}@x.com`)},S0,${(500 - j / 100).toFixed(2)},2026-03-01`);
    } else {
      for (const j of [0, 1]) {
        const amount = ((i * 37 + j * 101) % 40000) / 100;
        purchases.push(`C${i},${sha(`r${i}@x.com`)},S${(i + j) % 2},${amount.toFixed(2)},2026-01-${String(1 + ((i + j) % 28)).padStart(2, '0')}`);
        januarySum += amount;
      }
    }
  }
  for (let i = 1000; i < 1100; i++) purchases.push(`C${i},${sha(`c${i}@y.com`)},S1,10.00,2026-01-05`);
  const readersPath = join(dir, 'readers.csv');
  const purchasesPath = join(dir, 'purchases.csv');
  writeFileSync(readersPath, `${readers.join('\n')}\n`);
  writeFileSync(purchasesPath, `${purchases.join('\n')}\n`);
  return {
    readersPath,
    purchasesPath,
    matched: 482,
    bySegment,
    byCity,
    late: { amount: 321.45, day: '2026-02-01' },
    heavy: { rows: heavyRows, total: Array.from({ length: heavyRows }, (_, j) => 50_000 - j).reduce((a, b) => a + b, 0) / 100, day: '2026-03-01' },
    januarySum: Math.round(januarySum * 100) / 100,
  };
}
