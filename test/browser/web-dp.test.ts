import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRetailMediaData } from '../../src/cli/demo/generate-retail-media-data.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { startTestApi } from './helpers/api-server.js';
import type { TestApi } from './helpers/api-server.js';
import { buildWeb } from './helpers/build-web.js';
import { ARTIFACTS, launchChromium } from './helpers/chromium.js';
import { pageSession } from './helpers/page-session.js';

// Differential privacy in the browser: the retail media collaboration (readers × purchases,
// 3,000 shared people), its budget, a cost preview before each run, noisy tables read as
// value ± interval and charted with error bars, the budget going down, a repeat served from
// the cache for free, the retailer's own SQL from the editor, a refused query's reason next
// to the editor, and a spent budget that disables the run button.
const dir = mkdtempSync(join(tmpdir(), 'cleanroom-ui-dp-'));
const SHARED = 3000;
let api: TestApi;
let ui: { url: string };
let context: BrowserContext;
let retailer: { id: string; apiKey: string };
let publisher: { id: string; apiKey: string };
let id = '';
/** The truth behind spend_by_segment: per segment, the shared people (all of them buy) and their spend. */
const truth = new Map<string, { people: number; spend: number }>();

const session = pageSession(() => context, () => ui.url);
const { signIn } = session;

/** The truth per reader segment, from the raw files (person i is `reader.i@example.com`). */
function truthBySegment(readersRaw: string, purchasesRaw: string): void {
  const segmentOf = new Map<number, string>();
  for (const line of readFileSync(readersRaw, 'utf8').trim().split('\n').slice(1)) {
    const [email, , segment] = line.split(',');
    const i = Number(/reader\.(\d+)@/i.exec(email!)![1]);
    if (i < SHARED) segmentOf.set(i, segment!);
  }
  for (const segment of segmentOf.values()) truth.set(segment, { people: (truth.get(segment)?.people ?? 0) + 1, spend: truth.get(segment)?.spend ?? 0 });
  for (const line of readFileSync(purchasesRaw, 'utf8').trim().split('\n').slice(1)) {
    const cells = line.split(',');
    const i = Number(cells[0]!.slice(1));
    const segment = segmentOf.get(i);
    if (segment !== undefined) truth.get(segment)!.spend += Number(cells[5]);
  }
}

/** `1,234.5 ± 67` (or `1,234.5 (1,100 to 1,300)`) as numbers. */
function noisy(text: string): { value: number; low: number; high: number } {
  const num = (s: string): number => Number(s.replaceAll(',', ''));
  const pm = /^(-?[\d,.]+) ± ([\d,.]+)$/.exec(text.trim());
  if (pm !== null) return { value: num(pm[1]!), low: num(pm[1]!) - num(pm[2]!), high: num(pm[1]!) + num(pm[2]!) };
  const range = /^(-?[\d,.]+) \((-?[\d,.]+) to (-?[\d,.]+)\)$/.exec(text.trim());
  if (range === null) throw new Error(`Cannot read ${JSON.stringify(text)} as a noisy value: expected "v ± h" or "v (low to high)"`);
  return { value: num(range[1]!), low: num(range[2]!), high: num(range[3]!) };
}

/** ε left of a budget bar, as the page shows it in its data attribute. */
async function epsilonLeft(page: Page, of: 'collaboration' | 'party'): Promise<number> {
  return Number(await page.locator(`[data-budget-of=${of}]`).getAttribute('data-epsilon-left'));
}

/** Waits until the budget panel shows `epsilon` left for the party. */
async function partyLeft(page: Page, epsilon: number): Promise<void> {
  await page.locator(`[data-budget-of=party][data-epsilon-left="${epsilon}"]`).waitFor({ timeout: 30_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `web-dp-${name}.png`), fullPage: true });
}

/** Previews a run from its card and returns the preview. */
async function preview(card: Locator): Promise<Locator> {
  await card.locator('button', { hasText: 'Preview cost' }).click();
  const note = card.locator('[data-preview]');
  await note.waitFor({ timeout: 30_000 });
  return note;
}

beforeAll(async () => {
  const readersRaw = join(dir, 'readers.raw.csv');
  const purchasesRaw = join(dir, 'purchases.raw.csv');
  generateRetailMediaData(readersRaw, purchasesRaw, { shared: SHARED, readersOnly: 1000, customersOnly: 1000, stores: 8 });
  truthBySegment(readersRaw, purchasesRaw);
  const readers = join(dir, 'readers.csv');
  const purchases = join(dir, 'purchases.csv');
  await prepareFile({ input: readersRaw, output: readers, map: { email: 'email', phone: 'phone' }, autoDetect: false, workers: 0 });
  await prepareFile({ input: purchasesRaw, output: purchases, map: { email: 'email', phone: 'phone' }, autoDetect: false, workers: 0 });
  const [dist, browser] = await Promise.all([buildWeb(), launchChromium()]);
  context = browser;
  api = await startTestApi({ webDir: dist });
  ui = { url: `${api.url}/` };
  retailer = await api.createParty('ShopMart');
  publisher = await api.createParty('Daily Reader');
  const created = await api.call(retailer.apiKey, 'POST', '/v1/collaborations', { name: 'Retail media (DP)', template: 'retail-media-insights-dp', members: { retailer: retailer.id, publisher: publisher.id } });
  if (created.status !== 201) throw new Error(`Cannot create the collaboration: ${JSON.stringify(created.body)}`);
  const c = created.body as { id: string; templateDigest: string; template: { terms: { version: string } } };
  id = c.id;
  for (const party of [retailer, publisher]) {
    const answer = await api.call(party.apiKey, 'POST', `/v1/collaborations/${id}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    if (answer.status !== 201) throw new Error(`Cannot attest: ${JSON.stringify(answer.body)}`);
  }
  await api.upload(publisher.apiKey, `/v1/collaborations/${id}/datasets/readers`, readers);
  await api.upload(retailer.apiKey, `/v1/collaborations/${id}/datasets/purchases`, purchases);
}, 600_000); // a fresh machine installs Chromium first

afterEach(async () => {
  expect(await session.closeAll()).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await api?.close();
});

describe('differential privacy in Chromium', () => {
  it('shows the budget, previews spend_by_segment, runs it with ± intervals and error bars, and the budget goes down; a repeat is cached and free', async () => {
    const page = await signIn(retailer.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await page.locator('[data-budget]').waitFor({ timeout: 30_000 });
    expect(await epsilonLeft(page, 'collaboration')).toBe(10);
    expect(await epsilonLeft(page, 'party')).toBe(6);
    expect(await page.locator('[data-cost-of=spend_by_segment]').textContent()).toContain('ε=0.5');
    expect(await page.locator('[data-bounds-of=spend_by_segment]').textContent()).toBe('at most 3 rows of the result, 10 of their own rows in each; purchases.amount total between 0 and 1,500');
    expect(await page.locator('[data-budget] [data-refresh]').textContent()).toMatch(/start afresh on .* \(every 30 days\)/);

    const card = page.locator('[data-analysis=spend_by_segment]');
    const run = card.locator('button', { hasText: 'Run spend_by_segment' });
    expect(await run.isDisabled()).toBe(true);
    const note = await preview(card);
    expect(await note.getAttribute('data-allowed')).toBe('true');
    expect(await note.getAttribute('data-cached')).toBe('false');
    expect(await note.locator('[data-cost]').textContent()).toContain('ε=0.5');
    expect(await note.locator('[data-would-remain]').textContent()).toMatch(/the collaboration ε=9\.5, .*; your party ε=5\.5, /);
    await shot(page, 'preview');
    expect(await run.isDisabled()).toBe(false);
    await run.click();

    const table = page.locator('[data-table=spend_by_segment]');
    await table.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-run-cost]').textContent()).toContain('ε=0.5');
    expect(await page.locator('[data-privacy] [data-remaining]').textContent()).toMatch(/your party ε=5\.5/);
    expect(await table.locator('[data-selection]').getAttribute('data-selection')).toBe('public');
    // The bound columns are part of each value, not columns of their own.
    const headers = await table.locator('th').allTextContents();
    expect(headers.some((h) => /\.(low|high)/.test(h))).toBe(false);
    // Every segment the template declares, each value ± its 95% half-width, near the truth.
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(5);
    for (let r = 0; r < 5; r++) {
      const segment = (await rows.nth(r).locator('td').first().textContent())!;
      const people = noisy((await rows.nth(r).locator('td[data-noisy=people]').textContent())!);
      const spend = noisy((await rows.nth(r).locator('td[data-noisy="purchases.amount.sum"]').textContent())!);
      const real = truth.get(segment)!;
      // 4 half-widths of a 95% Laplace interval: wrong by chance about once in 10^5 tables.
      expect(Math.abs(people.value - real.people)).toBeLessThanOrEqual(4 * (people.high - people.value));
      expect(Math.abs(spend.value - real.spend)).toBeLessThanOrEqual(4 * (spend.high - spend.value));
      expect(people.high - people.low).toBeGreaterThan(0);
      expect(await rows.nth(r).locator('td[data-noisy=people]').getAttribute('title')).toMatch(/95%/);
    }
    // Error bars: one chart per noisy column, each with an interval line per segment.
    const chart = page.locator('[data-chart="spend_by_segment: people with 95% interval"]');
    await chart.locator('svg').first().waitFor();
    expect(await chart.locator('svg line, svg path').count()).toBeGreaterThanOrEqual(5);
    await shot(page, 'spend-by-segment');

    // The budget panel, read again, has gone down by the run's cost.
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await partyLeft(page, 5.5);
    expect(await epsilonLeft(page, 'collaboration')).toBe(9.5);

    // The same question again: the preview says it is free, and the run says it came from the cache.
    const again = await preview(page.locator('[data-analysis=spend_by_segment]'));
    expect(await again.getAttribute('data-cached')).toBe('true');
    expect(await again.textContent()).toContain('Cached: free.');
    await page.locator('[data-analysis=spend_by_segment] button', { hasText: 'Run spend_by_segment' }).click();
    await page.locator('[data-privacy] [data-cached-from]').waitFor({ timeout: 60_000 });
    await shot(page, 'cached');
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await partyLeft(page, 5.5);
  });

  it('runs the retailer’s own SQL from the editor, shows a refused query’s reason beside it, and disables the run once the budget is spent', async () => {
    const page = await signIn(retailer.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const card = page.locator('[data-analysis=custom_sql]');
    await card.locator('textarea[name=sql]').waitFor();
    // The rules beside the editor: what may be joined, grouped and aggregated, and what never.
    expect(await card.locator('[data-rule-column="readers.segment"]').textContent()).toContain('group by, filter');
    expect(await card.locator('[data-rule-column="purchases.email"]').textContent()).toContain('join on (=)');
    expect(await card.locator('[data-rule-column="purchases.amount"]').textContent()).toContain('sum()');
    expect(await card.locator('[data-rule-column="purchases.customer_id"]').textContent()).toContain('nothing');
    const left = await epsilonLeft(page, 'party');

    await card.locator('textarea[name=sql]').fill('SELECT r.segment, count(DISTINCT p.email) AS buyers, sum(p.amount) AS spend FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.segment');
    const note = await preview(card);
    expect(await note.getAttribute('data-allowed')).toBe('true');
    expect(await note.locator('[data-cost]').textContent()).toContain('ε=1');
    await card.locator('button', { hasText: 'Run custom_sql' }).click();
    const result = page.locator('.run-result[data-status=released]');
    await result.waitFor({ timeout: 60_000 });
    const table = result.locator('figure.guarded').first();
    expect(await table.locator('td.noisy').first().textContent()).toMatch(/ ± |\(.* to .*\)/);
    expect(await table.locator('th').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('buyers'), expect.stringContaining('spend')]));
    await result.locator('[data-noise-charts] svg').first().waitFor();
    expect(await table.locator('[data-selection]').getAttribute('data-selection')).toBe('public');
    await shot(page, 'custom-sql');
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await partyLeft(page, left - 1);

    // Grouped by store, a free-text column: groups pass DP partition selection, and the table says how.
    const stores = page.locator('[data-analysis=custom_sql]');
    await stores.locator('textarea[name=sql]').fill('SELECT p.store, count(DISTINCT p.email) AS buyers FROM purchases p JOIN readers r ON p.email = r.email GROUP BY p.store');
    await preview(stores);
    await stores.locator('button', { hasText: 'Run custom_sql' }).click();
    const byStore = page.locator('.run-result[data-status=released] figure.guarded').first();
    await byStore.waitFor({ timeout: 60_000 });
    expect(await byStore.locator('[data-selection]').getAttribute('data-selection')).toBe('noisy_threshold');
    expect(await byStore.locator('[data-selection]').textContent()).toMatch(/released only when its noisy count of people reaches \d+/);
    // 8 stores, each with about a thousand of the 3,000 shared buyers: all far above the threshold.
    expect(await byStore.locator('tbody tr').count()).toBe(8);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await partyLeft(page, left - 2);

    // A query that outputs an identifier: refused with its rule, node and column, beside the editor, at no cost.
    const sqlCard = page.locator('[data-analysis=custom_sql]');
    await sqlCard.locator('textarea[name=sql]').fill('SELECT p.email, count(*) AS n FROM purchases p JOIN readers r ON p.email = r.email GROUP BY p.email');
    // The server may refuse it at the preview already; else the preview allows the run and the run is refused.
    await sqlCard.locator('button', { hasText: 'Preview cost' }).click();
    await sqlCard.locator('[data-preview], [data-refusal]').first().waitFor({ timeout: 30_000 });
    const refusal = sqlCard.locator('[data-refusal]');
    if (!(await refusal.isVisible())) await sqlCard.locator('button', { hasText: 'Run custom_sql' }).click();
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toMatch(/email/);
    await shot(page, 'refused-sql');
    await page.reload();
    await partyLeft(page, left - 2);

    // Spend the rest of the party's budget through the API (distinct queries, so none is cached).
    for (let n = 0; n < 10; n++) {
      const budget = (await api.call(retailer.apiKey, 'GET', `/v1/collaborations/${id}/budget`)).body as { remaining: { party: { epsilon: number } } };
      if (budget.remaining.party.epsilon < 1) break;
      const sql = `SELECT r.age_band, count(DISTINCT p.email) AS buyers_${n} FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.age_band`;
      const answer = await api.call(retailer.apiKey, 'POST', `/v1/collaborations/${id}/runs`, { analysis: 'custom_sql', params: { sql } });
      expect(answer.status).toBe(201);
    }
    await page.reload();
    const spent = page.locator('[data-analysis=custom_sql]');
    await spent.locator('textarea[name=sql]').fill('SELECT r.segment, count(DISTINCT p.email) AS readers_who_buy FROM purchases p JOIN readers r ON p.email = r.email GROUP BY r.segment');
    const refused = await preview(spent);
    expect(await refused.getAttribute('data-allowed')).toBe('false');
    expect(await refused.locator('[data-refused]').textContent()).toMatch(/ε=1/);
    expect(await spent.locator('button', { hasText: 'Run custom_sql' }).isDisabled()).toBe(true);
    await shot(page, 'budget-spent');
  });

  it('shows a pre-approved query read-only, with only its parameters to choose', async () => {
    const page = await signIn(publisher.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const card = page.locator('[data-analysis=category_spend_for_age]');
    expect(await card.locator('[data-query]').textContent()).toContain('WHERE r.age_band = $age_band GROUP BY p.category');
    expect(await card.locator('textarea').count()).toBe(0);
    await card.locator('select[name=age_band]').selectOption('25-34');
    const note = await preview(card);
    expect(await note.locator('[data-cost]').textContent()).toContain('ε=0.5');
    await card.locator('button', { hasText: 'Run category_spend_for_age' }).click();
    const table = page.locator('.run-result[data-status=released] figure.guarded').first();
    await table.waitFor({ timeout: 60_000 });
    expect(await table.locator('td.noisy').count()).toBeGreaterThan(0);
    await shot(page, 'pre-approved');
  });

  it('shows a noisy overlap: its chart, and every table with intervals and no bound columns of its own', async () => {
    const page = await signIn(publisher.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const card = page.locator('[data-analysis=overlap]');
    await preview(card);
    await card.locator('button', { hasText: 'Run overlap' }).click();
    await page.locator('.run-result[data-status=released]').waitFor({ timeout: 60_000 });
    await page.locator('[data-chart="Overlap per match key"] svg').first().waitFor();
    // Error bars on the shares: a rule per key and side (2 × 2), beside the zero line of each key.
    expect(await page.locator('[data-chart="Overlap per match key"] g[aria-label=rule] line').count()).toBeGreaterThanOrEqual(2 + 4);
    const tables = page.locator('figure.guarded');
    expect(await tables.count()).toBeGreaterThan(0);
    for (const header of await page.locator('figure.guarded th').allTextContents()) expect(header).not.toMatch(/\.(low|high)$/);
    expect(await page.locator('figure.guarded td.noisy').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-run-cost]').textContent()).toContain('ε=0.3');
    await shot(page, 'overlap');
  });

  it('shows no budget, no preview step and no noise where the template has no differential privacy', async () => {
    const insurer = await api.createParty('Acme Insurance');
    const partner = await api.createParty('SafeHome');
    const created = await api.call(insurer.apiKey, 'POST', '/v1/collaborations', { name: 'No DP', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id } });
    expect(created.status).toBe(201);
    const plain = (created.body as { id: string }).id;
    const page = await signIn(insurer.apiKey);
    await page.goto(`${ui.url}#/c/${plain}/analyses`);
    const card = page.locator('[data-analysis=overlap]');
    await card.waitFor();
    expect(await page.locator('[data-budget]').count()).toBe(0);
    expect(await card.locator('button', { hasText: 'Preview cost' }).count()).toBe(0);
    expect(await card.locator('button', { hasText: 'Run overlap' }).isDisabled()).toBe(false);
  });
});
