import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuardedTable } from '../../core/privacy/guard-result.js';
import { createNodeCleanRoom } from '../../node/room/create-node-clean-room.js';
import { loadReadyTemplates } from '../../node/template/load-ready-templates.js';
import { prepareFile } from '../prepare/prepare-file.js';
import { generateCampaignData } from './generate-campaign-data.js';

/**
 * The room part of the demo, through the library: a publisher and a retailer prepare their
 * files on their own side, create an offline-sales-attribution collaboration, attest,
 * upload, and run the overlap and the attribution; the audit chain is verified. Returns
 * the text to print.
 *
 * @example
 * ```ts
 * process.stdout.write(await demoCollaboration({ dir: '.cleanroom/demo', templatesDir: 'templates' }));
 * ```
 */
export async function demoCollaboration(options: { dir: string; templatesDir: string; people?: number }): Promise<string> {
  const { dir, templatesDir, people = 100_000 } = options;
  const out: string[] = [];
  const rawExposures = join(dir, 'publisher-exposures.raw.csv');
  const rawTransactions = join(dir, 'retailer-transactions.raw.csv');
  const counts = generateCampaignData(rawExposures, rawTransactions, { shared: Math.round(people * 0.4), publisherOnly: Math.round(people * 0.6), retailerOnly: Math.round(people * 0.6) });
  out.push(`A publisher (${counts.exposures.toLocaleString('en-US')} exposures) and a retailer (${counts.transactions.toLocaleString('en-US')} transactions) prepare their files on their own machines:`);
  const exposures = join(dir, 'publisher-exposures.prepared.csv');
  const transactions = join(dir, 'retailer-transactions.prepared.csv');
  const map = { email: 'email', phone: 'phone' };
  for (const [input, output] of [[rawExposures, exposures], [rawTransactions, transactions]] as const) {
    const report = await prepareFile({ input, output, map, autoDetect: false });
    out.push(`  ${output}: ${report.rows.written.toLocaleString('en-US')} rows, emails valid ${(report.identifiers[0]!.validRate * 100).toFixed(1)}%, ${report.rowsPerSecond.toLocaleString('en-US')} rows/s`);
  }
  const dataDir = join(dir, 'room');
  await rm(dataDir, { recursive: true, force: true });
  const registry = await loadReadyTemplates(templatesDir);
  const template = registry.get('offline-sales-attribution')!.template;
  const { room, close } = await createNodeCleanRoom({ dataDir, masterKey: randomBytes(32), encryption: 'preferred' });
  try {
    const publisher = { party: 'p_publisher', keyId: 'demo' };
    const retailer = { party: 'p_retailer', keyId: 'demo' };
    const c = await room.createCollaboration(retailer, { name: 'Spring campaigns x store sales', template, members: { publisher: publisher.party, retailer: retailer.party } });
    for (const party of [publisher, retailer]) await room.attest(party, c.id, { termsVersion: template.terms.version, templateDigest: c.templateDigest });
    await room.upload(publisher, c.id, 'exposures', exposures);
    await room.upload(retailer, c.id, 'transactions', transactions);
    out.push('', `Collaboration ${c.id} from template ${template.name} ${template.version} (${c.templateDigest.slice(0, 19)}…), both parties attested and uploaded.`);
    const reach = await room.run(publisher, c.id, 'reach', {});
    out.push('', 'Overlap, the same for both parties (rows under 100 people are suppressed):', table(reach.result!.tables.overall!), table(reach.result!.tables.byKey!));
    const attribution = await room.run(retailer, c.id, 'attribution', { model: 'last_touch', lookback_days: 14 });
    out.push('', 'Attribution, last touch within 14 days, by campaign:', table(attribution.result!.tables.attribution!));
    const byStore = await room.run(retailer, c.id, 'attribution', { model: 'even_split', lookback_days: 14, group_by: ['transactions.store'] });
    out.push('', 'Attribution, even split, by campaign and store:', table(byStore.result!.tables.attribution!));
    const verified = await room.verifyAudit(publisher, c.id);
    out.push('', `Audit log: ${verified.ok ? `${verified.count} events, hash chain verified` : `BROKEN at ${verified.firstBroken}`}.`);
  } finally {
    await close();
  }
  return `${out.join('\n')}\n`;
}

function table(t: GuardedTable): string {
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 })) : String(v ?? ''));
  const rows = [t.columns, ...t.rows.map((r) => t.columns.map((c) => cell(r[c])))];
  const widths = t.columns.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const lines = rows.map((r) => '  ' + r.map((v, i) => String(v).padEnd(widths[i]!)).join('  '));
  if (t.suppressed.rows > 0) lines.push(`  (${t.suppressed.reason})`);
  return lines.join('\n');
}
