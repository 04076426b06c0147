import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareFile } from '../../node/prepare/prepare-file.js';
import { demoApi } from './api-client.js';
import { generateCampaignData } from './generate-campaign-data.js';
import { generateIdentityPartnerData } from './generate-identity-partner-data.js';
import { generateLiftData } from './generate-lift-data.js';
import { generateRetailMediaData } from './generate-retail-media-data.js';

/** A demo party and the key it signs in with. */
export interface DemoParty {
  name: string;
  id: string;
  apiKey: string;
}

interface Collaboration {
  id: string;
  templateDigest: string;
  template: { terms: { version: string } };
}

/**
 * Seeds a running server through its API, as the parties themselves would: a retailer, a
 * publisher and an insurer; an attribution collaboration (publisher exposures × retailer
 * transactions), a lift study with a holdout, an audience overlap (insurer × retailer), and
 * an attribution through an identity partner's graph (the match with and without it),
 * a retail media collaboration under differential privacy (noisy results, a budget, the
 * retailer's own SQL and a pre-approved query).
 * Each party prepares its files on its own side (normalise + hash) before uploading, and
 * the first runs are started so results are there when the UI opens.
 *
 * @example
 * ```ts
 * const parties = await seedDemo({ url, operatorKey, dir: '.cleanroom/demo', people: 100_000 });
 * ```
 */
export async function seedDemo(options: { url: string; operatorKey: string; dir: string; people: number; log?: (line: string) => void }): Promise<DemoParty[]> {
  const { url, operatorKey, dir, people, log = () => {} } = options;
  const api = demoApi(url);
  const party = async (name: string): Promise<DemoParty> => ({ name, ...(await api.post<{ id: string; apiKey: string }>(operatorKey, '/v1/parties', { name })) });
  const retailer = await party('Northwind Retail');
  const publisher = await party('Daily Planet Media');
  const insurer = await party('Acme Insurance');
  const identityPartner = await party('Meridian Identity');

  const prepared = async (raw: string, map: Record<string, string>): Promise<Uint8Array> => {
    const output = raw.replace(/\.raw\.csv$/, '.prepared.csv');
    await prepareFile({ input: raw, output, map, autoDetect: false });
    return readFile(output);
  };
  const collaborate = async (name: string, template: string, creator: DemoParty, members: Record<string, DemoParty>): Promise<Collaboration> => {
    const c = await api.post<Collaboration>(creator.apiKey, '/v1/collaborations', { name, template, members: Object.fromEntries(Object.entries(members).map(([role, p]) => [role, p.id])) });
    for (const member of new Set(Object.values(members))) {
      await api.post(member.apiKey, `/v1/collaborations/${c.id}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    }
    return c;
  };
  const upload = (p: DemoParty, c: Collaboration, dataset: string, csv: Uint8Array) => api.putCsv(p.apiKey, `/v1/collaborations/${c.id}/datasets/${dataset}`, csv);
  const run = (p: DemoParty, c: Collaboration, analysis: string, params: Record<string, unknown>) =>
    api.post<{ result: { tables: Record<string, { rows: Record<string, unknown>[] }> } | null }>(p.apiKey, `/v1/collaborations/${c.id}/runs`, { analysis, params });

  log(`seeding: ${people.toLocaleString('en-US')} people per party, each file prepared on its owner's side before upload`);
  const exposures = join(dir, 'publisher-exposures.raw.csv');
  const transactions = join(dir, 'retailer-transactions.raw.csv');
  generateCampaignData(exposures, transactions, { shared: Math.round(people * 0.4), publisherOnly: Math.round(people * 0.6), retailerOnly: Math.round(people * 0.6) });
  const sales = await collaborate('Spring campaigns x store sales', 'offline-sales-attribution', retailer, { publisher, retailer });
  await upload(publisher, sales, 'exposures', await prepared(exposures, { email: 'email', phone: 'phone' }));
  await upload(retailer, sales, 'transactions', await prepared(transactions, { email: 'email', phone: 'phone' }));
  await run(retailer, sales, 'reach', {});
  await run(retailer, sales, 'attribution', { model: 'last_touch', lookback_days: 14 });
  await run(publisher, sales, 'attribution', { model: 'even_split', lookback_days: 14, group_by: ['transactions.store'] });
  log(`  attribution collaboration ${sales.id}: uploaded, overlap and attribution run`);

  const bridged = { exposures: join(dir, 'publisher-exposures-ip.raw.csv'), transactions: join(dir, 'retailer-transactions-ip.raw.csv'), graph: join(dir, 'partner-graph.raw.csv') };
  generateIdentityPartnerData(bridged, { shared: Math.round(people * 0.4), phoneOnly: 0.35, publisherOnly: Math.round(people * 0.3), retailerOnly: Math.round(people * 0.3) });
  const viaPartner = await collaborate('Spring campaigns through an identity partner', 'identity-partner-attribution', retailer, { publisher, retailer, identity_partner: identityPartner });
  await upload(publisher, viaPartner, 'exposures', await prepared(bridged.exposures, { email: 'email', phone: 'phone' }));
  await upload(retailer, viaPartner, 'transactions', await prepared(bridged.transactions, { email: 'email', phone: 'phone' }));
  const matchedBy = async (): Promise<string> => {
    const reach = await run(retailer, viaPartner, 'reach', {});
    const rows = reach.result?.tables.byKey?.rows ?? [];
    return rows.map((row) => `${String(row.key)} ${Number(row.people).toLocaleString('en-US')}`).join(', ') || 'nothing released';
  };
  const withoutGraph = await matchedBy();
  await upload(identityPartner, viaPartner, 'identity_graph', await prepared(bridged.graph, { email: 'email', phone: 'phone' }));
  const withGraph = await matchedBy();
  await run(retailer, viaPartner, 'attribution', { model: 'last_touch', lookback_days: 14 });
  log(`  identity partner collaboration ${viaPartner.id}: matched without the graph: ${withoutGraph}; with it: ${withGraph}`);

  const audience = join(dir, 'publisher-lift-audience.raw.csv');
  const conversions = join(dir, 'retailer-conversions.raw.csv');
  generateLiftData(audience, conversions, { people: Math.round(people * 0.6) });
  const lift = await collaborate('Spring sale lift test', 'lift-incrementality', publisher, { publisher, advertiser: retailer });
  await upload(publisher, lift, 'campaign_audience', await prepared(audience, { email: 'email', phone: 'phone' }));
  await upload(retailer, lift, 'conversions', await prepared(conversions, { email: 'email', phone: 'phone' }));
  await run(retailer, lift, 'lift', { converted_from: '2026-04-01', converted_to: '2026-04-30' });
  log(`  lift collaboration ${lift.id}: uploaded, lift run`);

  const policyholders = join(dir, 'insurer-policyholders.raw.csv');
  const customers = join(dir, 'retailer-customers.raw.csv');
  const holders = ['email,phone,first_name,last_name,zip,policy_type'];
  const buyers = ['email,phone,first_name,last_name,zip,plan'];
  for (let i = 0; i < people; i++) {
    holders.push(`customer.${i * 2}@gmail.com,,,,,${['home', 'auto', 'life', 'health'][i % 4]}`);
    buyers.push(`Customer.${i * 3}@GMAIL.com ,,,,,${['basic', 'monitored', 'premium'][i % 3]}`);
  }
  writeFileSync(policyholders, `${holders.join('\n')}\n`);
  writeFileSync(customers, `${buyers.join('\n')}\n`);
  const overlap = await collaborate('Acme x Northwind overlap', 'audience-overlap', insurer, { insurer, partner: retailer });
  await upload(insurer, overlap, 'policyholders', await prepared(policyholders, { email: 'email' }));
  await upload(retailer, overlap, 'partner_customers', await prepared(customers, { email: 'email' }));
  await run(insurer, overlap, 'overlap', { group_by: ['policyholders.policy_type'] });
  log(`  overlap collaboration ${overlap.id}: uploaded, overlap run`);

  const readers = join(dir, 'publisher-readers.raw.csv');
  const purchases = join(dir, 'retailer-purchases.raw.csv');
  generateRetailMediaData(readers, purchases, { shared: Math.round(people * 0.2), readersOnly: Math.round(people * 0.3), customersOnly: Math.round(people * 0.3) });
  const media = await collaborate('Retail media insights (differential privacy)', 'retail-media-insights-dp', retailer, { retailer, publisher });
  await upload(publisher, media, 'readers', await prepared(readers, { email: 'email', phone: 'phone' }));
  await upload(retailer, media, 'purchases', await prepared(purchases, { email: 'email', phone: 'phone' }));
  await run(retailer, media, 'overlap', {});
  await run(retailer, media, 'spend_by_segment', { group_by: ['readers.segment'] });
  await run(retailer, media, 'custom_sql', {
    sql: 'SELECT r.age_band, sum(p.amount) AS spend, avg(p.amount) AS average_purchase FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.age_band',
  });
  await run(publisher, media, 'category_spend_for_age', { age_band: '25-34' });
  const budget = await api.get<{ remaining: { collaboration: { epsilon: number }; party: { epsilon: number } } }>(retailer.apiKey, `/v1/collaborations/${media.id}/budget`);
  log(
    `  DP collaboration ${media.id}: uploaded, overlap, spend by segment, custom SQL and a pre-approved query run under the privacy budget ` +
      `(ε left: ${budget.remaining.collaboration.epsilon.toFixed(2)} of the collaboration's, ${budget.remaining.party.epsilon.toFixed(2)} of the retailer's)`,
  );
  return [retailer, publisher, insurer, identityPartner];
}
