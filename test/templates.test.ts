import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  datasetCsvHeader,
  paramsJsonSchema,
  templateDigest,
  validateParams,
  validateTemplate,
} from '../src/core/template/index.js';
import type { ReadyTemplate } from '../src/core/template/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';

const registry = await loadReadyTemplates(fileURLToPath(new URL('../templates', import.meta.url)));

function ready(name: string): ReadyTemplate {
  const found = registry.get(name);
  if (found === undefined) throw new Error(`no ready template ${name}`);
  return found;
}

/**
 * The digest of each shipped template. A change here means the template's content
 * changed: bump its version, and expect running collaborations to keep the old one.
 */
const DIGESTS: Record<string, string> = {
  'affiliate-revenue': 'sha256:ffbad5ae0b20f5c12cfc6a2cbcc4fe04983e5cb86cd5b927f766742e14a8035c',
  'audience-activation': 'sha256:ebbb7fe0e3ab570c820664ae07ff5df2bf5a30d862cd9182b10453817d508e7b',
  'audience-enrichment': 'sha256:03d802e68091145c86219898cf32cd0c1ab1400e28d8e78948cc507957a0ba3a',
  'audience-overlap': 'sha256:1da62d4c0666c722c7e3e44e9757aae4e78a78e0336abb5090b4f7ff3a3bf114',
  'clinical-trial-eligibility': 'sha256:22acc9f760ee3275209541d7044d12c6cfc362aaed9d145972a2bc7368a197e8',
  'identity-partner-attribution': 'sha256:86cc21e579307119819212b24a4cd27752a92dcec36a3a76995e7de5f68148a1',
  'lift-incrementality': 'sha256:9bed0af3ae9d4cb5c2c24c48a0b8dbc2b6a6863acc43110df1d54949e229281d',
  'lift-incrementality-dp': 'sha256:f129d8e158f4b0771d28155079cd35392e79fa41d7916cc732c5436ab10ec0af',
  'offline-sales-attribution': 'sha256:f3c2e167933e9d29aa45f99e7576b7c2bbbb9adf574f92e89bffbf3e35697b59',
  'offline-sales-attribution-dp': 'sha256:70207c0307d429302830b4609dbd55af9b41c957c32eb07043bf2b862404d55a',
  'retail-media-insights-dp': 'sha256:39bb0c97bc4a3225490334851027e439bde08e702ed46db9e372353d051de319',
  'segment-sizing-bank': 'sha256:bf6d2bab1459010d34521d52592ae28199020c5741d66eb09a0e085de23775ac',
};

describe('the ready templates', () => {
  it('cover every scenario of the design, one file each, all valid', () => {
    expect(registry.list().map((t) => t.name)).toEqual(Object.keys(DIGESTS));
  });

  it.each(Object.entries(DIGESTS))('%s has a stable digest', (name, digest) => {
    const { template, digest: registered } = ready(name);
    expect(registered).toBe(digest);
    expect(templateDigest(template)).toBe(digest);
  });

  it.each(Object.keys(DIGESTS))('%s gives every analysis a JSON Schema and accepts its defaults', (name) => {
    for (const analysis of Object.values(ready(name).template.analyses)) {
      expect(paramsJsonSchema(analysis)).toMatchObject({ type: 'object', additionalProperties: false });
      const required = Object.entries(analysis.params).filter(([, spec]) => spec.required === true);
      if (required.length === 0) expect(validateParams(analysis, {}).ok).toBe(true);
    }
  });

  it.each([
    ['audience-overlap', { overlap: 'overlap' }],
    ['segment-sizing-bank', { segment_size: 'aggregate' }],
    ['clinical-trial-eligibility', { eligible_count: 'aggregate' }],
    ['offline-sales-attribution', { attribution: 'attribution', reach: 'overlap' }],
    ['lift-incrementality', { lift: 'lift' }],
    ['audience-activation', { fan_riders: 'activation', overlap: 'overlap' }],
    ['affiliate-revenue', { affiliate_revenue: 'aggregate' }],
  ])('%s offers its analyses', (name, kinds) => {
    const analyses = ready(name).template.analyses;
    expect(Object.fromEntries(Object.entries(analyses).map(([n, a]) => [n, a.kind]))).toEqual(kinds);
  });

  it.each([
    ['audience-overlap', 'policyholders', 'policy_type,email,phone,first_name,last_name,zip'],
    ['audience-overlap', 'partner_customers', 'plan,email,phone,first_name,last_name,zip'],
    ['segment-sizing-bank', 'loyalty_members', 'tier,email,phone,first_name,last_name,zip'],
    ['segment-sizing-bank', 'product_holdings', 'customer_id,product,email,phone,first_name,last_name,zip'],
    ['clinical-trial-eligibility', 'volunteers', 'email,phone,first_name,last_name,dob'],
    ['clinical-trial-eligibility', 'patients', 'patient_id,diagnosis_group,age,email,phone,first_name,last_name,dob'],
    ['offline-sales-attribution', 'exposures', 'user_id,campaign,exposed_at,channel,email,phone,first_name,last_name,zip'],
    ['offline-sales-attribution', 'transactions', 'customer_id,revenue,store,product_code,purchased_at,email,phone,first_name,last_name,zip'],
    ['lift-incrementality', 'campaign_audience', 'campaign,test_group,email,phone,first_name,last_name,zip'],
    ['lift-incrementality', 'conversions', 'customer_id,converted_at,value,email,phone,first_name,last_name,zip'],
    ['audience-activation', 'fans', 'fan_tier,email,phone'],
    ['audience-activation', 'riders', 'customer_id,email,phone'],
    ['affiliate-revenue', 'referrals', 'referral_id,affiliate_id,referred_at,email'],
    ['affiliate-revenue', 'player_revenue', 'player_id,month,net_revenue,product,referral_id,email'],
  ])('%s dataset %s has the CSV header %s', (name, dataset, header) => {
    expect(datasetCsvHeader(ready(name).template, dataset)).toBe(header);
  });

  it('releases segment sizes as ranges after the bank reviewed them', () => {
    expect(ready('segment-sizing-bank').template.privacy).toMatchObject({ rounding: { to: 500 }, reviewBy: ['bank'] });
  });

  it('delivers activation audiences only to their owner', () => {
    const { template } = ready('audience-activation');
    const activation = template.analyses['fan_riders'];
    expect(activation).toMatchObject({ kind: 'activation', audience: 'riders', receives: ['rideshare'] });
    expect(template.datasets['riders']?.personKey).toBe('customer_id');
  });
});

describe('docs/templates.md', () => {
  it('has a full example that validates', async () => {
    const doc = await readFile(new URL('../docs/templates.md', import.meta.url), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    const result = validateTemplate(JSON.parse(block ?? 'null'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
