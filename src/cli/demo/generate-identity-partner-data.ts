import { writeFileSync } from 'node:fs';
import { CAMPAIGNS, DAY, START } from './generate-campaign-data.js';
import { seededRandom } from './generate-customers.js';

/** How many people the demo's three parties know. */
export interface IdentityPartnerDataOptions {
  /** People both the publisher and the retailer know. */
  shared: number;
  /** Of those, the share the publisher knows only by phone (and the retailer only by email). */
  phoneOnly: number;
  publisherOnly: number;
  retailerOnly: number;
  seed?: number;
}

/**
 * Writes the raw files of the demo's `identity-partner-attribution` collaboration as each
 * party holds them: the publisher's exposures (some users known by email, some only by phone),
 * the retailer's transactions (customers known by email), and the identity partner's graph
 * (one row per identifier of each partner person: emails and phones, written its own way).
 * Without the graph, a shared person the publisher knows only by phone cannot be matched.
 *
 * @example
 * ```ts
 * generateIdentityPartnerData({ exposures: 'e.csv', transactions: 't.csv', graph: 'g.csv' }, { shared: 4000, phoneOnly: 0.35, publisherOnly: 3000, retailerOnly: 3000 });
 * ```
 */
export function generateIdentityPartnerData(paths: { exposures: string; transactions: string; graph: string }, options: IdentityPartnerDataOptions): void {
  const { shared, phoneOnly, publisherOnly, retailerOnly, seed = 7 } = options;
  const rnd = seededRandom(seed);
  const exposures = ['user_id,campaign,exposed_at,channel,email,phone'];
  const transactions = ['customer_id,revenue,store,product_code,purchased_at,email,phone'];
  const graph = ['partner_person_id,email,phone'];
  const iso = (ms: number) => new Date(ms).toISOString();
  const phone = (i: number) => `${['212', '415', '617'][i % 3]}${String(3_000_000 + i).padStart(7, '0')}`;
  const total = shared + publisherOnly + retailerOnly;
  for (let i = 0; i < total; i++) {
    const email = `shopper.${i}@example.com`;
    const p = phone(i);
    const onPublisher = i < shared + publisherOnly;
    const onRetailer = i < shared || i >= shared + publisherOnly;
    const byPhone = i < shared && rnd() < phoneOnly;
    const seen: number[] = [];
    if (onPublisher) {
      for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
        const at = START + Math.floor(rnd() * 50 * DAY);
        seen.push(at);
        exposures.push(`U${i},${CAMPAIGNS[Math.floor(rnd() * CAMPAIGNS.length)]},${iso(at)},display,${byPhone ? '' : email},(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`);
      }
    }
    if (onRetailer) {
      const at = (seen[0] ?? START + Math.floor(rnd() * 50 * DAY)) + Math.floor(rnd() * 10 * DAY);
      transactions.push(`C${i},${(5 + rnd() * 195).toFixed(2)},store_001,SKU-1001,${iso(at)},${email.toUpperCase()},`);
    }
    // The partner knows most people, by their email and their phone, on two rows.
    if (rnd() < 0.9) graph.push(`P${i},${email},`, `P${i},,+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}`);
  }
  writeFileSync(paths.exposures, `${exposures.join('\n')}\n`);
  writeFileSync(paths.transactions, `${transactions.join('\n')}\n`);
  writeFileSync(paths.graph, `${graph.join('\n')}\n`);
}
