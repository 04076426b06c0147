import { writeFileSync } from 'node:fs';
import { seededRandom } from './generate-customers.js';

const SEGMENTS = ['news', 'sport', 'lifestyle', 'business', 'tech'];
const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55+'];
const CATEGORIES = ['grocery', 'electronics', 'apparel', 'home', 'beauty', 'sports'];
/** What each segment tends to buy: a reader's purchases lean to its segment's category. */
const LEANING: Record<string, string> = { news: 'home', sport: 'sports', lifestyle: 'beauty', business: 'electronics', tech: 'electronics' };
const DAY = 86_400_000;
const START = Date.UTC(2026, 5, 1);

/**
 * Writes the raw files of the `retail-media-insights-dp` demo as each party holds them: the
 * publisher's readers (email, phone, segment, age_band) and the retailer's purchases
 * (customer_id, email, phone, category, store, amount, purchased_at; 1–6 purchases a
 * customer, amounts 1–480 dollars). `shared` people are on both sides, written differently
 * (case, padding); shoppers lean to their reading segment's category, so the breakdowns have
 * something to show. Returns the true figures the demo can be checked against.
 *
 * @example
 * ```ts
 * generateRetailMediaData('readers.csv', 'purchases.csv', { shared: 20_000, readersOnly: 30_000, customersOnly: 30_000 });
 * ```
 */
export function generateRetailMediaData(
  readersPath: string,
  purchasesPath: string,
  options: { shared: number; readersOnly: number; customersOnly: number; stores?: number; seed?: number },
): { readers: number; purchases: number; sharedBuyers: number; sharedSpend: number } {
  const { shared, readersOnly, customersOnly, stores = 40, seed = 7 } = options;
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const readers = ['email,phone,segment,age_band'];
  const purchases = ['customer_id,email,phone,category,store,amount,purchased_at'];
  let sharedSpend = 0;
  const total = shared + readersOnly + customersOnly;
  for (let i = 0; i < total; i++) {
    const isReader = i < shared + readersOnly;
    const isCustomer = i < shared || i >= shared + readersOnly;
    const email = `reader.${i}@example.com`;
    const segment = pick(SEGMENTS);
    if (isReader) readers.push(`${rnd() < 0.3 ? ` ${email.toUpperCase()}` : email},,${segment},${pick(AGE_BANDS)}`);
    if (!isCustomer) continue;
    for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) {
      const category = rnd() < 0.5 ? LEANING[segment]! : pick(CATEGORIES);
      const amount = Math.round((1 + rnd() * 479) * 100) / 100;
      if (i < shared) sharedSpend += amount;
      const at = new Date(START + Math.floor(rnd() * 90 * DAY)).toISOString();
      purchases.push(`C${i},${email},,${category},S${String(1 + Math.floor(rnd() * stores)).padStart(3, '0')},${amount.toFixed(2)},${at}`);
    }
  }
  writeFileSync(readersPath, `${readers.join('\n')}\n`);
  writeFileSync(purchasesPath, `${purchases.join('\n')}\n`);
  return { readers: readers.length - 1, purchases: purchases.length - 1, sharedBuyers: shared, sharedSpend: Math.round(sharedSpend * 100) / 100 };
}
