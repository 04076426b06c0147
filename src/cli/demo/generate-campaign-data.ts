import { writeFileSync } from 'node:fs';
import { seededRandom } from './generate-customers.js';

/** The demo's campaigns, the day in ms and its first day: shared by the demo's generators of exposures. */
export const CAMPAIGNS = ['spring_sale', 'new_arrivals', 'loyalty_push', 'brand_video'];
const CHANNELS = ['display', 'video', 'ctv', 'social'];
const STORES = ['store_001', 'store_014', 'store_027', 'store_102'];
const PRODUCTS = ['SKU-1001', 'SKU-2040', 'SKU-3300', 'SKU-4711'];
export const DAY = 86_400_000;
export const START = Date.UTC(2026, 2, 1);

/** How many people the demo's publisher and retailer have, and how many they share. */
export interface CampaignDataOptions {
  shared: number;
  publisherOnly: number;
  retailerOnly: number;
  seed?: number;
}

/**
 * Writes the demo's two raw files as each party holds them: a publisher's ad exposures
 * (user_id, campaign, exposed_at, channel, email, phone) and a retailer's transactions
 * (customer_id, revenue, store, product_code, purchased_at, email, phone). Shared people
 * are written differently on each side (case, spaces, gmail dots, phone formats); exposed
 * shared people buy more, and sooner, than the others.
 *
 * @example
 * ```ts
 * generateCampaignData('exposures.csv', 'transactions.csv', { shared: 40_000, publisherOnly: 60_000, retailerOnly: 60_000 });
 * ```
 */
export function generateCampaignData(exposuresPath: string, transactionsPath: string, options: CampaignDataOptions): { exposures: number; transactions: number } {
  const { shared, publisherOnly, retailerOnly, seed = 2026 } = options;
  const rnd = seededRandom(seed);
  const exposures = ['user_id,campaign,exposed_at,channel,email,phone'];
  const transactions = ['customer_id,revenue,store,product_code,purchased_at,email,phone'];
  const iso = (ms: number) => new Date(ms).toISOString();
  const phone = (i: number) => `${['212', '415', '617', '312', '206', '718'][i % 6]}${String(2_000_000 + (i % 7_000_000)).padStart(7, '0')}`;
  const total = shared + publisherOnly + retailerOnly;
  for (let i = 0; i < total; i++) {
    const onPublisher = i < shared + publisherOnly;
    const onRetailer = i < shared || i >= shared + publisherOnly;
    const email = `customer.${i}@gmail.com`;
    const p = phone(i);
    const seen: number[] = [];
    if (onPublisher) {
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const at = START + Math.floor(rnd() * 60 * DAY);
        seen.push(at);
        const writtenEmail = rnd() < 0.5 ? ` ${email.toUpperCase()} ` : email;
        exposures.push(`U${i},${CAMPAIGNS[Math.floor(rnd() * CAMPAIGNS.length)]},${iso(at)},${CHANNELS[i % CHANNELS.length]},${writtenEmail},(${p.slice(0, 3)}) ${p.slice(3, 6)}-${p.slice(6)}`);
      }
    }
    if (onRetailer) {
      const buys = seen.length > 0 ? (rnd() < 0.55 ? 1 + Math.floor(rnd() * 3) : 0) : rnd() < 0.3 ? 1 : 0;
      for (let k = 0; k < buys; k++) {
        const base = seen.length > 0 ? seen[Math.floor(rnd() * seen.length)]! : START + Math.floor(rnd() * 60 * DAY);
        const at = base + Math.floor(rnd() * 20 * DAY);
        const revenue = (5 + rnd() * 195).toFixed(2);
        const writtenEmail = rnd() < 0.5 ? email.replace('.', '') : email;
        const writtenPhone = rnd() < 0.5 ? `+1 ${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}` : '';
        transactions.push(`C${i},${revenue},${STORES[Math.floor(rnd() * STORES.length)]},${PRODUCTS[Math.floor(rnd() * PRODUCTS.length)]},${iso(at)},${writtenEmail},${writtenPhone}`);
      }
      if (buys === 0) transactions.push(`C${i},0.00,${STORES[0]},${PRODUCTS[0]},${iso(START - DAY)},${email},`);
    }
  }
  writeFileSync(exposuresPath, `${exposures.join('\n')}\n`);
  writeFileSync(transactionsPath, `${transactions.join('\n')}\n`);
  return { exposures: exposures.length - 1, transactions: transactions.length - 1 };
}
