import { writeFileSync } from 'node:fs';
import { seededRandom } from './generate-customers.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 3, 1);

/**
 * Writes the demo's lift study as each party holds it: the publisher's campaign audience
 * (email, phone, campaign, test_group: 80% exposed, 20% holdout) and the advertiser's
 * conversions (customer_id, converted_at, value, email, phone). Exposed people convert at
 * 11%, the holdout at 8%, so the true relative lift is about +37%.
 *
 * @example
 * ```ts
 * generateLiftData('audience.csv', 'conversions.csv', { people: 60_000 });
 * ```
 */
export function generateLiftData(audiencePath: string, conversionsPath: string, options: { people: number; seed?: number }): void {
  const { people, seed = 11 } = options;
  const rnd = seededRandom(seed);
  const audience = ['email,phone,campaign,test_group'];
  const conversions = ['customer_id,converted_at,value,email,phone'];
  for (let i = 0; i < people; i++) {
    const email = `shopper.${i}@example.com`;
    const arm = rnd() < 0.8 ? 'exposed' : 'holdout';
    audience.push(`${rnd() < 0.3 ? email.toUpperCase() : email},,${i % 2 === 0 ? 'spring_sale' : 'brand_video'},${arm}`);
    if (rnd() < (arm === 'exposed' ? 0.11 : 0.08)) {
      for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
        conversions.push(`A${i},${new Date(START + Math.floor(rnd() * 28 * DAY)).toISOString()},${(10 + rnd() * 90).toFixed(2)},${email},`);
      }
    }
  }
  // Advertiser customers who were not in the study.
  for (let i = 0; i < people / 4; i++) conversions.push(`B${i},${new Date(START + Math.floor(rnd() * 28 * DAY)).toISOString()},25.00,other.${i}@example.com,`);
  writeFileSync(audiencePath, `${audience.join('\n')}\n`);
  writeFileSync(conversionsPath, `${conversions.join('\n')}\n`);
}
