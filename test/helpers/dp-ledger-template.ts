import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from '../../src/core/template/index.js';
import { validateTemplate } from '../../src/core/template/index.js';

export const PRODUCTS = ['checking', 'savings', 'credit_card', 'premium_card', 'mortgage', 'wealth_management'] as const;

/**
 * A small DP template for ledger tests: brand members × bank holdings, one count per
 * product (a required enum parameter, no grouping, so no partition selection), laplace,
 * ε=0.4 per run out of ε=1 (per party: `perParty`, default the total); `dp: false` for the
 * same template with thresholds only.
 */
export function dpLedgerTemplateJson(options: { epsilon?: number; budget?: number; perParty?: number | null; refreshDays?: number | null; reviewBy?: string[]; dp?: boolean } = {}): Record<string, unknown> {
  const { epsilon = 0.4, budget = 1, perParty = null, refreshDays = null, reviewBy = [], dp = true } = options;
  return {
    name: 'dp-ledger-test',
    title: 'DP ledger test',
    version: '1.0.0',
    description: 'Members holding a banking product, counted under differential privacy.',
    roles: {
      brand: { abilities: ['contributes', 'runs', 'receives'], description: 'The brand.' },
      bank: { abilities: ['contributes', 'runs', 'receives'], description: 'The bank.' },
    },
    datasets: {
      members: {
        owner: 'brand',
        description: 'One row per member.',
        columns: {
          email: { type: 'string', identifier: 'email', required: true, description: 'Email.' },
          tier: { type: 'string', role: 'dimension', required: true, allowedValues: ['gold', 'premium'], description: 'Tier.' },
        },
      },
      holdings: {
        owner: 'bank',
        description: 'One row per product held.',
        personKey: 'customer_id',
        columns: {
          customer_id: { type: 'string', role: 'person_key', required: true, description: 'Customer id.' },
          email: { type: 'string', identifier: 'email', required: true, description: 'Email.' },
          product: { type: 'string', role: 'dimension', required: true, allowedValues: [...PRODUCTS], description: 'Product.' },
        },
      },
    },
    identity: { profile: 'default', hashing: 'client', matchKeys: [['email']] },
    analyses: {
      holders: {
        kind: 'aggregate',
        description: 'How many members hold the product.',
        datasets: ['members', 'holdings'],
        runs: ['brand', 'bank'],
        receives: ['brand', 'bank'],
        measures: [],
        params: {
          product: { type: 'enum', description: 'The product.', allowedValues: [...PRODUCTS], required: true, filter: { column: 'holdings.product', op: 'eq' } },
        },
        ...(dp ? { dp: { epsilon } } : {}),
      },
    },
    privacy: {
      minPeople: 10,
      rounding: null,
      reviewBy,
      dp: !dp ? null : { unit: 'person', mechanism: 'laplace', budget: { epsilon: budget, delta: 1e-6 }, perParty: perParty === null ? null : { epsilon: perParty, delta: 1e-6 }, refreshDays, selectionDelta: 1e-7 },
    },
    retentionDays: 30,
    terms: { version: '1', text: 'Counts only.' },
  };
}

/** The validated template (throws with the problems if it does not validate). */
export function dpLedgerTemplate(options: Parameters<typeof dpLedgerTemplateJson>[0] = {}): Template {
  const checked = validateTemplate(dpLedgerTemplateJson(options));
  if (!checked.ok) throw new Error(`dp-ledger-test does not validate: ${JSON.stringify(checked.problems)}`);
  return checked.template;
}

/** Writes members.csv (600 members) and holdings.csv (every other member holds every product) into `dir`. */
export function dpLedgerFiles(dir: string): { members: string; holdings: string } {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const members = ['email,tier'];
  const holdings = ['customer_id,email,product'];
  for (let i = 0; i < 600; i++) {
    members.push(`${sha(`m${i}@x.com`)},${i % 3 === 0 ? 'premium' : 'gold'}`);
    if (i % 2 === 0) for (const product of PRODUCTS) holdings.push(`B${i},${sha(`m${i}@x.com`)},${product}`);
  }
  const paths = { members: join(dir, 'members.csv'), holdings: join(dir, 'holdings.csv') };
  writeFileSync(paths.members, `${members.join('\n')}\n`);
  writeFileSync(paths.holdings, `${holdings.join('\n')}\n`);
  return paths;
}

/**
 * Readers and purchases for the ready template `retail-media-insights-dp` (hashed emails):
 * 800 readers, every other one a customer with three purchases in 2025. Returns the paths.
 */
export function retailDpFiles(dir: string): { readers: string; purchases: string } {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const segments = ['news', 'sport', 'lifestyle', 'business', 'tech'];
  const ages = ['18-24', '25-34', '35-44', '45-54', '55+'];
  const categories = ['grocery', 'electronics', 'apparel', 'home', 'beauty', 'sports'];
  const readers = ['email,phone,segment,age_band'];
  const purchases = ['customer_id,email,phone,category,store,amount,purchased_at'];
  for (let i = 0; i < 800; i++) {
    readers.push(`${sha(`r${i}@x.com`)},,${segments[i % 5]},${ages[(i >> 1) % 5]}`);
    if (i % 2 !== 0) continue;
    for (let k = 0; k < 3; k++) {
      purchases.push(`C${i},${sha(`r${i}@x.com`)},,${categories[(i + k) % 6]},S${i % 4},${((i * 7 + k * 13) % 400) + 0.5},2025-0${1 + k}-1${i % 9}T10:00:00Z`);
    }
  }
  const paths = { readers: join(dir, `readers-${Math.random().toString(36).slice(2)}.csv`), purchases: join(dir, `purchases-${Math.random().toString(36).slice(2)}.csv`) };
  writeFileSync(paths.readers, `${readers.join('\n')}\n`);
  writeFileSync(paths.purchases, `${purchases.join('\n')}\n`);
  return paths;
}
