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
  'affiliate-revenue': 'sha256:1bf5598302ad52af8fd17f8883d27530b11ca9edff50107807a746be580497ea',
  'audience-activation': 'sha256:1404551b8e37fe7c3024ded089432429966ea9bb591d4dc5ebff3225b4c7ed80',
  'audience-overlap': 'sha256:e262414750dd38ec467060c1123913c1468cf75f6adb5fba6bc7e136f37de9df',
  'clinical-trial-eligibility': 'sha256:459e2c47da7fe37adff1f8d935e436b951bf78c11f8e093a2f8c869378704044',
  'lift-incrementality': 'sha256:ad89e242a10582bdd29cc333af5bc3e992b599b97fad8e8e62f18f6b57471a29',
  'lift-incrementality-dp': 'sha256:f129d8e158f4b0771d28155079cd35392e79fa41d7916cc732c5436ab10ec0af',
  'offline-sales-attribution': 'sha256:5951dc008076f47b0b6a06bf357a48e86bebf91161775fea898bab8875578bca',
  'offline-sales-attribution-dp': 'sha256:70207c0307d429302830b4609dbd55af9b41c957c32eb07043bf2b862404d55a',
  'retail-media-insights-dp': 'sha256:39bb0c97bc4a3225490334851027e439bde08e702ed46db9e372353d051de319',
  'segment-sizing-bank': 'sha256:bb18e4cb909c14dd18eb5664682fa204a0b68ef2632aecefdddbfb3f922706fc',
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
