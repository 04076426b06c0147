import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/cli/demo/generate-customers.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';

/** One ad exposure of a generated person (time in ms since the epoch, UTC). */
export interface TruthExposure {
  ts: number;
  campaign: string;
  channel: string | null;
}

/** One purchase of a generated person; revenue in integer cents, so sums are exact. */
export interface TruthPurchase {
  ts: number;
  cents: number;
  store: string;
  product: string;
}

/** A generated person and everything the generator knows about them. */
export interface TruthPerson {
  index: number;
  /** The key meant to match them, or null when they are on one side only. */
  matchedBy: 'email' | 'phone' | 'name_zip' | null;
  exposures: TruthExposure[];
  purchases: TruthPurchase[];
}

export const DAY = 86_400_000;
/** 2024-03-01T00:00:00Z: every generated time is after it. */
export const T0 = Date.UTC(2024, 2, 1);
const CAMPAIGNS = ['brand', 'retarget', 'spring', 'summer'];
const CHANNELS = ['display', 'video', 'ctv', 'social', 'audio'];
const STORES = ['S01', 'S02', 'S03', 'S04'];
const PRODUCTS = ['P1', 'P2', 'P3'];
/** Purchase offsets after an exposure that sit exactly on a window's edges (0, 7 and 30 days). */
const EDGES = [0, 7 * DAY, 30 * DAY, 7 * DAY - 1000, 30 * DAY + 1000];

/** A small seeded PRNG (mulberry32), so that a failure reproduces. */
const random = seededRandom;

/** The people of one generated collaboration: their exposures, purchases and how they match. */
export function generatePeople(counts: { matched: number; publisherOnly: number; retailerOnly: number }, seed = 7): TruthPerson[] {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const keys = ['email', 'phone', 'name_zip'] as const;
  const people: TruthPerson[] = [];
  const total = counts.matched + counts.publisherOnly + counts.retailerOnly;
  for (let index = 0; index < total; index++) {
    const matched = index < counts.matched;
    const hasExposures = index < counts.matched + counts.publisherOnly;
    const exposures: TruthExposure[] = [];
    const seen = new Set<string>();
    const add = (e: TruthExposure): void => {
      const key = `${e.ts}|${e.campaign}|${e.channel}`;
      if (!seen.has(key)) exposures.push(e), seen.add(key);
    };
    const n = hasExposures ? 1 + Math.floor(rnd() * 5) : 0;
    for (let k = 0; k < n; k++) {
      const e = { ts: T0 + 10 * DAY + Math.floor(rnd() * 40 * DAY / 1000) * 1000, campaign: pick(CAMPAIGNS), channel: rnd() < 0.1 ? null : pick(CHANNELS) };
      add(e);
      // Ties: another campaign, or the same campaign on another channel, at the same second.
      if (rnd() < 0.15) add({ ...e, campaign: pick(CAMPAIGNS) });
      if (rnd() < 0.1) add({ ...e, channel: pick(CHANNELS) });
    }
    const purchases: TruthPurchase[] = [];
    const hasPurchases = matched || index >= counts.matched + counts.publisherOnly;
    const m = hasPurchases ? 1 + Math.floor(rnd() * 4) : 0;
    for (let k = 0; k < m; k++) {
      const anchor = exposures.length > 0 && rnd() < 0.8 ? pick(exposures).ts : T0 + Math.floor(rnd() * 60 * DAY / 1000) * 1000;
      const offset = rnd() < 0.25 ? pick(EDGES) : rnd() < 0.1 ? -Math.floor(rnd() * 5 * DAY / 1000) * 1000 : Math.floor(rnd() * 35 * DAY / 1000) * 1000;
      const p = { ts: anchor + offset, cents: 100 + Math.floor(rnd() * 49_900), store: pick(STORES), product: pick(PRODUCTS) };
      if (!purchases.some((q) => q.ts === p.ts && q.cents === p.cents && q.store === p.store && q.product === p.product)) purchases.push(p);
    }
    people.push({ index, matchedBy: matched ? keys[index % 3]! : null, exposures, purchases });
  }
  return people;
}

/** How each side writes a person's identifiers (email, phone, first_name, last_name, zip). */
function identifiers(p: TruthPerson, side: 'publisher' | 'retailer', row: number): string[] {
  const i = p.index;
  const first = ['Ana', 'Chloé', 'Dmitri', 'Farah', 'Ivo'][i % 5]!;
  const last = `Ng${String.fromCharCode(97 + (i % 26))}${i}`;
  const email = `${first.normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase()}.x${i}@gmail.com`;
  const phone = `${['212', '415', '617'][i % 3]!}${String(2_000_000 + i)}`;
  const zip = String(10001 + (i % 900));
  if (side === 'publisher') {
    // The publisher repeats the identifiers on every exposure, written differently row to row.
    const e = row % 2 === 0 ? ` ${email.toUpperCase()} ` : email;
    const ph = row % 2 === 0 ? `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}` : phone;
    return [p.matchedBy === 'phone' || p.matchedBy === 'name_zip' ? `pub${i}@example.org` : e, p.matchedBy === 'name_zip' ? '' : ph, first, last, row % 2 === 0 ? `${zip}-1234` : zip];
  }
  switch (p.matchedBy) {
    case 'email':
      return [email.replace('.', ''), '', '', '', ''];
    case 'phone':
      return [`ret${i}@example.net`, `+1-${phone.slice(0, 3)}-${phone.slice(3, 6)}-${phone.slice(6)}`, '', '', ''];
    case 'name_zip':
      return [`ret${i}@example.net`, '', first.toUpperCase(), ` ${last} `, zip];
    default:
      return [`ret${i}@example.net`, '', first, `Other${i}`, zip];
  }
}

const cell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Writes the publisher's exposures and the retailer's transactions as raw, messy CSV files
 * with the template's column names (identifiers written differently on each side and from
 * row to row), and prepares both as a party would for a template: `prepareFile` in template
 * mode, so the identifier columns are hashed and the person keys pass through untouched.
 *
 * @example
 * ```ts
 * const people = generatePeople({ matched: 600, publisherOnly: 150, retailerOnly: 150 });
 * const { exposures, transactions } = await attributionFiles(dir, people);
 * await room.loadCsv(exposures, loadPlanFor(template, 'exposures'));
 * ```
 */
export async function attributionFiles(dir: string, people: readonly TruthPerson[]): Promise<{ exposures: string; transactions: string }> {
  const ids = ['email', 'phone', 'first_name', 'last_name', 'zip'];
  const exposureRows = people.flatMap((p) =>
    p.exposures.map((e, row) => [`u${p.index}`, e.campaign, iso(e.ts), e.channel ?? '', ...identifiers(p, 'publisher', row)]),
  );
  const purchaseRows = people.flatMap((p) =>
    p.purchases.map((q) => [`c${p.index}`, (q.cents / 100).toFixed(2), q.store, q.product, iso(q.ts), ...identifiers(p, 'retailer', 0)]),
  );
  const write = async (name: string, header: string[], rows: string[][]): Promise<string> => {
    const raw = join(dir, `${name}.raw.csv`);
    writeFileSync(raw, [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
    const prepared = join(dir, `${name}.prepared.csv`);
    const map = Object.fromEntries(ids.map((id) => [id, id]));
    await prepareFile({ input: raw, output: prepared, map, autoDetect: false, workers: 0, dedupe: false });
    return prepared;
  };
  return {
    exposures: await write('exposures', ['user_id', 'campaign', 'exposed_at', 'channel', ...ids], exposureRows),
    transactions: await write('transactions', ['customer_id', 'revenue', 'store', 'product_code', 'purchased_at', ...ids], purchaseRows),
  };
}

/** What a truth row holds, keyed by its dimension values. */
export interface TruthRow {
  conversions: number;
  /** Exact cents for last and first touch; for an even split, Σ (cents / 100) / n. */
  revenue: number;
  converters: number;
}

/** The options of {@link expectedAttribution}: the run's parameters, in the generator's terms. */
export interface TruthQuery {
  model: 'last_touch' | 'first_touch' | 'even_split';
  lookbackDays: number;
  groupBy?: readonly ('channel' | 'store')[];
  /** Inclusive purchase dates, YYYY-MM-DD (UTC). */
  from?: string;
  to?: string;
}

/**
 * The attribution the room must produce, computed from the generator's own records in
 * plain TypeScript: per conversion of a matched person, the exposures with
 * `e.ts <= p.ts < e.ts + lookback`; last or first by time, ties to the smallest campaign
 * (then the smallest channel when grouping by it, nulls last), or 1/n each. Keys are
 * `JSON.stringify([campaign, ...groupBy values])`.
 *
 * @example
 * ```ts
 * expectedAttribution(people, { model: 'last_touch', lookbackDays: 7 }).get('["spring"]'); // { conversions: 12, revenue: 345.6, converters: 11 }
 * ```
 */
export function expectedAttribution(people: readonly TruthPerson[], query: TruthQuery): Map<string, TruthRow> {
  const { model, lookbackDays, groupBy = [], from, to } = query;
  const sums = new Map<string, { conversions: number; cents: number; revenue: number; converters: Set<number> }>();
  const byChannel = groupBy.includes('channel');
  const compare = (a: TruthExposure, b: TruthExposure): number =>
    a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : byChannel ? nullsLast(a.channel, b.channel) : 0;
  for (const person of people) {
    if (person.matchedBy === null) continue;
    for (const purchase of person.purchases) {
      const day = iso(purchase.ts).slice(0, 10);
      if ((from !== undefined && day < from) || (to !== undefined && day > to)) continue;
      const touches = person.exposures.filter((e) => e.ts <= purchase.ts && purchase.ts < e.ts + lookbackDays * DAY);
      if (touches.length === 0) continue;
      const sorted = [...touches].sort((a, b) => (model === 'last_touch' ? b.ts - a.ts : a.ts - b.ts) || compare(a, b));
      const credited = model === 'even_split' ? touches : [sorted[0]!];
      for (const e of credited) {
        const key = JSON.stringify([e.campaign, ...groupBy.map((g) => (g === 'channel' ? e.channel : purchase.store))]);
        const sum = sums.get(key) ?? { conversions: 0, cents: 0, revenue: 0, converters: new Set<number>() };
        sum.conversions += 1 / credited.length;
        sum.cents += purchase.cents;
        sum.revenue += purchase.cents / 100 / credited.length;
        sum.converters.add(person.index);
        sums.set(key, sum);
      }
    }
  }
  const rows = new Map<string, TruthRow>();
  for (const [key, sum] of sums) {
    const revenue = model === 'even_split' ? sum.revenue : sum.cents / 100;
    rows.set(key, { conversions: sum.conversions, revenue, converters: sum.converters.size });
  }
  return rows;
}

function nullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
