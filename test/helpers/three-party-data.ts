import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';

/**
 * How many people of each kind the generator writes for `identity-partner-attribution`:
 *
 * - `direct`: in both parties' files with the same email (written differently), campaign c1;
 * - `bridged`: the publisher knows only their phone, the retailer only their email; one graph
 *   person holds both (on two rows), campaign c2 — matched only through the graph;
 * - `byAddress`: the publisher knows only their name, street line and zip (its own spelling:
 *   `Apartment`, `Street`), the retailer only their email; one graph person holds the email and
 *   the street line (`Apt`, `St`), campaign c2 — matched through the graph by the composite key;
 * - `ambiguous`: the retailer's record has an email of one graph person and a phone of another,
 *   the publisher's record a phone of the first, campaign c3 — bridging it would guess;
 * - `superNode`: publisher phones and retailer emails all held by one graph person with far more
 *   identifiers than the cap, campaign c4 — a shared identity, not a person;
 * - `publisherOnly`, `retailerOnly`: nobody on the other side (the graph knows some of them).
 */
export interface ThreePartyShape {
  direct: number;
  bridged: number;
  byAddress?: number;
  ambiguous: number;
  superNode: number;
  publisherOnly: number;
  retailerOnly: number;
}

/** What the room must find, from the generator's own bookkeeping. */
export interface ThreePartyTruth {
  /** Every true pair (publisher user id, retailer customer id) and the level that must match it. */
  pairs: { user: string; customer: string; level: 'email' | 'graph' }[];
  publisherPeople: number;
  retailerPeople: number;
  graphPeople: number;
  /** Per campaign: converters and revenue attributed (one exposure and one purchase each, last touch). */
  attribution: Record<string, { converters: number; revenue: number }>;
}

const phone = (i: number): string => `+1 (212) ${200 + (i % 700)}-${String(1000 + Math.floor(i / 700)).padStart(4, '0')}`;
const email = (i: number): string => `person.${i}@example.com`;
// How a retailer's CRM writes the same email: padded, upper case.
const messy = (address: string): string => `  ${address.toUpperCase()} `;

/**
 * Writes and prepares (normalised, hashed as a party's client would) the three files of
 * `identity-partner-attribution` — `exposures`, `transactions`, `identity_graph` — and
 * returns their paths and the truth.
 *
 * @example
 * ```ts
 * const { files, truth } = await threePartyFiles(dir, { direct: 300, bridged: 150, ambiguous: 120, superNode: 120, publisherOnly: 40, retailerOnly: 50 });
 * ```
 */
export async function threePartyFiles(dir: string, shape: ThreePartyShape): Promise<{ files: { exposures: string; transactions: string; graph: string }; truth: ThreePartyTruth }> {
  const exposures: string[][] = [];
  const transactions: string[][] = [];
  const graph: string[][] = [];
  const pairs: ThreePartyTruth['pairs'] = [];
  const attribution: ThreePartyTruth['attribution'] = {};
  let n = 0;
  type Ids = { email?: string; phone?: string; first?: string; last?: string; address?: string; zip?: string };
  const named = (id: Ids) => [id.first ?? '', id.last ?? '', id.address ?? '', id.zip ?? ''];
  const expose = (user: string, campaign: string, id: Ids) => exposures.push([user, campaign, '2026-01-01T10:00:00Z', 'display', id.email ?? '', id.phone ?? '', ...named(id)]);
  /** One graph row of a partner person. */
  const link = (person: string, id: Ids): string[] => [person, id.email ?? '', id.phone ?? '', ...named(id)];
  const buy = (customer: string, revenue: number, id: { email?: string; phone?: string }) =>
    transactions.push([customer, revenue.toFixed(2), 's1', 'p1', '2026-01-05T10:00:00Z', id.email === undefined ? '' : messy(id.email), id.phone ?? '']);
  const credit = (campaign: string, revenue: number) => {
    const c = (attribution[campaign] ??= { converters: 0, revenue: 0 });
    c.converters += 1;
    c.revenue = Math.round((c.revenue + revenue) * 100) / 100;
  };
  for (let i = 0; i < shape.direct; i++, n++) {
    expose(`u${n}`, 'c1', { email: email(n) });
    buy(`c${n}`, 10 + (n % 90), { email: email(n) });
    graph.push(link(`g${n}`, { email: email(n), phone: phone(n) }));
    pairs.push({ user: `u${n}`, customer: `c${n}`, level: 'email' });
    credit('c1', 10 + (n % 90));
  }
  for (let i = 0; i < shape.bridged; i++, n++) {
    expose(`u${n}`, 'c2', { phone: phone(n) });
    buy(`c${n}`, 10 + (n % 90), { email: email(n) });
    // Two rows of one partner person: its email, and its phone.
    graph.push(link(`g${n}`, { email: email(n) }), link(`g${n}`, { phone: phone(n) }));
    pairs.push({ user: `u${n}`, customer: `c${n}`, level: 'graph' });
    credit('c2', 10 + (n % 90));
  }
  for (let i = 0; i < (shape.byAddress ?? 0); i++, n++) {
    // Names keep letters only: each person's own surname, spelled from its number.
    const who = { first: 'Ada', last: `Love${[...String(n)].map((d) => 'abcdefghij'[Number(d)]).join('')}`, zip: '10001' };
    expose(`u${n}`, 'c2', { ...who, address: `${100 + n} North Main Street Apartment ${1 + (n % 9)}B` });
    buy(`c${n}`, 10 + (n % 90), { email: email(n) });
    graph.push(link(`g${n}`, { email: email(n) }), link(`g${n}`, { ...who, address: `${100 + n} N. Main St., Apt #${1 + (n % 9)}b` }));
    pairs.push({ user: `u${n}`, customer: `c${n}`, level: 'graph' });
    credit('c2', 10 + (n % 90));
  }
  for (let i = 0; i < shape.ambiguous; i++, n++) {
    const other = 900_000 + n;
    expose(`u${n}`, 'c3', { phone: phone(n) });
    buy(`c${n}`, 10 + (n % 90), { email: email(n), phone: phone(other) });
    graph.push(link(`g${n}`, { email: email(n), phone: phone(n) }), link(`g${other}`, { phone: phone(other) }));
  }
  const hub: string[][] = [];
  for (let i = 0; i < shape.superNode; i++, n++) {
    expose(`u${n}`, 'c4', { phone: phone(n) });
    buy(`c${n}`, 10 + (n % 90), { email: email(n) });
    hub.push(link('g_hub', { email: email(n), phone: phone(n) }));
  }
  graph.push(...hub);
  for (let i = 0; i < shape.publisherOnly; i++, n++) expose(`u${n}`, 'c1', { email: email(n), phone: phone(n) });
  for (let i = 0; i < shape.retailerOnly; i++, n++) {
    buy(`c${n}`, 25, { email: email(n) });
    if (i % 2 === 0) graph.push(link(`g${n}`, { email: email(n) }));
  }
  const write = async (name: string, header: string[], rows: string[][], map: Record<string, string>): Promise<string> => {
    const raw = join(dir, `${name}.csv`);
    writeFileSync(raw, `${[header, ...rows].map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v)).join(',')).join('\n')}\n`);
    const out = join(dir, `${name}.prepared.csv`);
    await prepareFile({ input: raw, output: out, map, autoDetect: false, workers: 0, dedupe: false });
    return out;
  };
  const ids = { email: 'email', phone: 'phone' };
  const all = { ...ids, first_name: 'first_name', last_name: 'last_name', address: 'address', zip: 'zip' };
  const people = ['first_name', 'last_name', 'address', 'zip'];
  const files = {
    exposures: await write('exposures', ['user_id', 'campaign', 'exposed_at', 'channel', 'email', 'phone', ...people], exposures, all),
    transactions: await write('transactions', ['customer_id', 'revenue', 'store', 'product_code', 'purchased_at', 'email', 'phone'], transactions, ids),
    graph: await write('identity_graph', ['partner_person_id', 'email', 'phone', ...people], graph, all),
  };
  const graphPeople = new Set(graph.map((row) => row[0])).size;
  return { files, truth: { pairs, publisherPeople: exposures.length, retailerPeople: transactions.length, graphPeople, attribution } };
}
