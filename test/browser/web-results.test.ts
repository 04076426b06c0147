import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/cli/demo/generate-customers.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { attributionFiles, generatePeople } from '../helpers/attribution-data.js';
import { startTestApi } from './helpers/api-server.js';
import type { TestApi } from './helpers/api-server.js';
import { buildWeb } from './helpers/build-web.js';
import { ARTIFACTS, launchChromium } from './helpers/chromium.js';
import { pageSession } from './helpers/page-session.js';

// Attribution and lift read in the browser: the datasets arrive as a party's script would
// send them (prepared files over the API), then a person runs each analysis from its
// generated form and reads the charts, the confidence intervals and the suppressions.
const dir = mkdtempSync(join(tmpdir(), 'cleanroom-ui-results-'));
let api: TestApi;
let ui: { url: string };
let context: BrowserContext;

const session = pageSession(() => context, () => ui.url);
const { signIn } = session;

/** Creates a collaboration through the API with every member attested. */
async function collaboration(template: string, members: Record<string, { id: string; apiKey: string }>): Promise<string> {
  const first = Object.values(members)[0]!;
  const created = await api.call(first.apiKey, 'POST', '/v1/collaborations', { name: template, template, members: Object.fromEntries(Object.entries(members).map(([role, p]) => [role, p.id])) });
  const c = created.body as { id: string; templateDigest: string; template: { terms: { version: string } } };
  for (const party of Object.values(members)) {
    const answer = await api.call(party.apiKey, 'POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    if (answer.status !== 201) throw new Error(`Cannot attest: ${JSON.stringify(answer.body)}`);
  }
  return c.id;
}

/** A template's dataset prepared as a party would: template mode, identifiers hashed. */
async function preparedFile(name: string, lines: string[], map: Record<string, string>): Promise<string> {
  const raw = join(dir, `${name}.raw.csv`);
  writeFileSync(raw, `${lines.join('\n')}\n`);
  const output = join(dir, `${name}.csv`);
  await prepareFile({ input: raw, output, map, autoDetect: false, workers: 0 });
  return output;
}

/** A lift study: 3,000 people, a quarter held out, exposed people converting more often. */
async function liftFiles(): Promise<{ audience: string; conversions: string }> {
  const random = seededRandom(11);
  const audience = ['campaign,test_group,email'];
  const conversions = ['customer_id,converted_at,value,email'];
  for (let i = 0; i < 3000; i++) {
    const arm = i % 4 === 0 ? 'holdout' : 'exposed';
    audience.push(`${i % 2 === 0 ? 'spring' : 'summer'},${arm},Person.${i}@Example.com`);
    if (random() < (arm === 'exposed' ? 0.14 : 0.08)) conversions.push(`cust${i},2026-04-1${i % 10}T12:00:00Z,${(random() * 100).toFixed(2)},person.${i}@example.com`);
  }
  return { audience: await preparedFile('audience', audience, { email: 'email' }), conversions: await preparedFile('conversions', conversions, { email: 'email' }) };
}

beforeAll(async () => {
  const [dist, browser] = await Promise.all([buildWeb(), launchChromium()]);
  context = browser;
  // The server serves the built UI itself, as `cleanroom serve` does: one origin, no proxy.
  api = await startTestApi({ webDir: dist });
  ui = { url: `${api.url}/` };
}, 600_000); // a fresh machine installs Chromium first

afterEach(async () => {
  expect(await session.closeAll()).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await api?.close();
});

describe('results in Chromium', () => {
  it('shows attribution by campaign and store as charts, with the suppressed rows and why', async () => {
    const publisher = await api.createParty('Daily Planet Media');
    const retailer = await api.createParty('MegaMart');
    const id = await collaboration('offline-sales-attribution', { publisher, retailer });
    const files = await attributionFiles(dir, generatePeople({ matched: 900, publisherOnly: 150, retailerOnly: 150 }));
    await api.upload(publisher.apiKey, `/v1/collaborations/${id}/datasets/exposures`, files.exposures);
    await api.upload(retailer.apiKey, `/v1/collaborations/${id}/datasets/transactions`, files.transactions);

    const page = await signIn(retailer.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const form = page.locator('[data-analysis=attribution]');
    await form.locator('input[name=group_by][value="transactions.store"]').check();
    await form.locator('button', { hasText: 'Run attribution' }).click();
    await page.waitForSelector('[data-chart="Attributed revenue by campaign"] svg', { timeout: 60_000 });
    await page.waitForSelector('[data-chart="Attributed revenue by transactions.store"] svg');
    expect(await page.locator('[data-chart="Attributed revenue by campaign"] svg rect').count()).toBeGreaterThan(0);
    // 4 campaigns x 4 stores over 900 matched people: some cells fall below 100 people; a grouped
    // table says only that such groups are never shown, not how many there were.
    expect(await page.locator('[data-table=attribution] .suppressed-row').textContent()).toBe('groups behind fewer than 100 people are never shown; whether any were held back is not told');
    await page.screenshot({ path: join(ARTIFACTS, 'web-attribution.png'), fullPage: true });
  });

  it("shows an enrichment by an identity partner's attributes as a chart, one bar per income band", async () => {
    const brand = await api.createParty('Brand (enrichment)');
    const partner = await api.createParty('Meridian Identity');
    const id = await collaboration('audience-enrichment', { brand, identity_partner: partner });
    const customers = ['customer_id,email'];
    const graph = ['partner_person_id,email,household_income_band'];
    for (let i = 0; i < 1000; i++) {
      customers.push(`C${i},Fan.${i}@Example.com`);
      graph.push(`P${i},fan.${i}@example.com,${1 + (i % 5)}`);
    }
    await api.upload(brand.apiKey, `/v1/collaborations/${id}/datasets/customers`, await preparedFile('enrich-customers', customers, { email: 'email' }));
    await api.upload(partner.apiKey, `/v1/collaborations/${id}/datasets/identity_graph`, await preparedFile('enrich-graph', graph, { email: 'email' }));

    const page = await signIn(brand.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const form = page.locator('[data-analysis=enrich]');
    await form.locator('button', { hasText: 'Run enrich' }).click();
    const chart = page.locator('[data-chart="People by identity_graph.household_income_band"]');
    await chart.locator('svg').first().waitFor({ timeout: 60_000 });
    expect(await chart.locator('svg g[aria-label=bar] rect').count()).toBe(5);
    expect(await page.locator('[data-table=enrich] tbody tr:not(.suppressed-row)').count()).toBe(5);
    await page.screenshot({ path: join(ARTIFACTS, 'web-enrichment.png'), fullPage: true });
  });

  it('shows a noisy attribution under differential privacy: cost previewed, each value ± its interval, error bars per campaign, the budget charged', async () => {
    const publisher = await api.createParty('Daily Planet Media (DP)');
    const retailer = await api.createParty('MegaMart (DP)');
    const id = await collaboration('offline-sales-attribution-dp', { publisher, retailer });
    const files = await attributionFiles(dir, generatePeople({ matched: 900, publisherOnly: 150, retailerOnly: 150 }));
    await api.upload(publisher.apiKey, `/v1/collaborations/${id}/datasets/exposures`, files.exposures);
    await api.upload(retailer.apiKey, `/v1/collaborations/${id}/datasets/transactions`, files.transactions);

    const page = await signIn(retailer.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await page.locator('[data-budget]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-cost-of=attribution]').textContent()).toContain('ε=1');
    const form = page.locator('[data-analysis=attribution]');
    const run = form.locator('button', { hasText: 'Run attribution' });
    expect(await run.isDisabled()).toBe(true);
    await form.locator('button', { hasText: 'Preview cost' }).click();
    const note = form.locator('[data-preview]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.getAttribute('data-allowed')).toBe('true');
    expect(await note.locator('[data-would-remain]').textContent()).toMatch(/your party ε=5, /);
    await run.click();

    const table = page.locator('[data-table=attribution]');
    await table.waitFor({ timeout: 60_000 });
    // Campaign names are the publisher's data: released only through DP partition selection.
    expect(await table.locator('[data-selection]').getAttribute('data-selection')).toBe('noisy_threshold');
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (let r = 0; r < (await rows.count()); r++) {
      for (const column of ['people', 'conversions', 'revenue']) {
        expect(await rows.nth(r).locator(`td[data-noisy=${column}]`).textContent()).toMatch(/ ± |\(.* to .*\)/);
      }
    }
    // Error bars instead of bars of noisy sums: one chart per noisy column, a line per campaign.
    const chart = page.locator('[data-chart="attribution: revenue with 95% interval"]');
    await chart.locator('svg').first().waitFor();
    expect(await chart.locator('svg line, svg path').count()).toBeGreaterThanOrEqual(await rows.count());
    expect(await page.locator('[data-chart="Attributed revenue by campaign"]').count()).toBe(0);
    expect(await page.locator('[data-run-cost]').textContent()).toContain('ε=1');
    expect(await page.locator('[data-privacy] [data-remaining]').textContent()).toMatch(/your party ε=5/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-attribution-dp.png'), fullPage: true });
  });

  it('shows lift with its 95% confidence interval as error bars', async () => {
    const publisher = await api.createParty('StreamCo');
    const advertiser = await api.createParty('Sneakers Inc');
    const id = await collaboration('lift-incrementality', { publisher, advertiser });
    const files = await liftFiles();
    await api.upload(publisher.apiKey, `/v1/collaborations/${id}/datasets/campaign_audience`, files.audience);
    await api.upload(advertiser.apiKey, `/v1/collaborations/${id}/datasets/conversions`, files.conversions);

    const page = await signIn(advertiser.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const form = page.locator('[data-analysis=lift]');
    await form.locator('input[name=converted_from]').fill('2026-04-01');
    await form.locator('input[name=converted_to]').fill('2026-04-30');
    await form.locator('button', { hasText: 'Run lift' }).click();
    await page.waitForSelector('[data-chart="Relative lift with 95% confidence interval"] svg', { timeout: 60_000 });
    // One interval (a link mark) and its point per group.
    expect(await page.locator('[data-chart="Relative lift with 95% confidence interval"] svg path, [data-chart="Relative lift with 95% confidence interval"] svg line').count()).toBeGreaterThan(0);
    expect(await page.locator('section.lift table').textContent()).toMatch(/%\s\(-?[\d.]+% to -?[\d.]+%\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-lift.png'), fullPage: true });
  });

  it('shows a noisy lift under differential privacy: noisy arms ± their intervals, and the lift interval that carries the noise', async () => {
    const publisher = await api.createParty('StreamCo (DP)');
    const advertiser = await api.createParty('Sneakers Inc (DP)');
    const id = await collaboration('lift-incrementality-dp', { publisher, advertiser });
    const files = await liftFiles();
    await api.upload(publisher.apiKey, `/v1/collaborations/${id}/datasets/campaign_audience`, files.audience);
    await api.upload(advertiser.apiKey, `/v1/collaborations/${id}/datasets/conversions`, files.conversions);

    const page = await signIn(advertiser.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await page.locator('[data-budget]').waitFor({ timeout: 30_000 });
    const form = page.locator('[data-analysis=lift]');
    await form.locator('input[name=converted_from]').fill('2026-04-01');
    await form.locator('input[name=converted_to]').fill('2026-04-30');
    await form.locator('button', { hasText: 'Preview cost' }).click();
    await form.locator('[data-preview][data-allowed=true]').waitFor({ timeout: 30_000 });
    await form.locator('button', { hasText: 'Run lift' }).click();
    await page.waitForSelector('[data-chart="Relative lift with 95% confidence interval"] svg', { timeout: 60_000 });
    expect(await page.locator('section.lift table').textContent()).toMatch(/%\s\(-?[\d.]+% to -?[\d.]+%\)/);
    // Both arms, always (the arms are public), each count ± its 95% half-width.
    const table = page.locator('[data-table=lift]');
    expect(await table.locator('[data-selection]').getAttribute('data-selection')).toBe('public');
    expect((await table.locator('tbody tr td:first-child').allTextContents()).sort()).toEqual(['exposed', 'holdout']);
    for (const column of ['people', 'converters', 'conversions', 'revenue']) {
      expect(await table.locator(`td[data-noisy=${column}]`).first().textContent()).toMatch(/ ± |\(.* to .*\)/);
    }
    expect(await page.locator('[data-run-cost]').textContent()).toContain('ε=1');
    await page.screenshot({ path: join(ARTIFACTS, 'web-lift-dp.png'), fullPage: true });
  });

  it('hands the activation audience to its owner only, as a download', async () => {
    const team = await api.createParty('City FC');
    const rideshare = await api.createParty('RideNow');
    const id = await collaboration('audience-activation', { team, rideshare });
    const fans = ['fan_tier,email,phone'];
    const riders = ['customer_id,email,phone'];
    for (let i = 0; i < 900; i++) fans.push(`${['season_ticket', 'member', 'newsletter'][i % 3]},fan${i}@example.org,`);
    for (let i = 300; i < 1200; i++) riders.push(`R${i},FAN${i}@example.org,`);
    await api.upload(team.apiKey, `/v1/collaborations/${id}/datasets/fans`, await preparedFile('fans', fans, { email: 'email', phone: 'phone' }));
    await api.upload(rideshare.apiKey, `/v1/collaborations/${id}/datasets/riders`, await preparedFile('riders', riders, { email: 'email', phone: 'phone' }));

    const page = await signIn(rideshare.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    await page.locator('[data-analysis=fan_riders] button', { hasText: 'Run fan_riders' }).click();
    const button = page.locator('button', { hasText: 'Download your audience (CSV)' });
    await button.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('person_key');
    expect(csv.slice(1).sort()).toEqual(Array.from({ length: 600 }, (_, k) => `R${300 + k}`).sort());
    await page.screenshot({ path: join(ARTIFACTS, 'web-activation.png'), fullPage: true });
    const runUrl = page.url();

    const other = await signIn(team.apiKey);
    await other.goto(`${ui.url}#/c/${id}/analyses`);
    await other.locator('[data-analysis=overlap]').waitFor();
    expect(await other.locator('[data-analysis=fan_riders]').count()).toBe(0);
    await other.goto(runUrl);
    await other.locator('[role=alert]').filter({ hasText: 'not_found' }).waitFor();
  });

  it('holds a reviewed result until the data owner approves it in the browser, then shows counts as ranges', async () => {
    const brand = await api.createParty('Luxe Cars');
    const bank = await api.createParty('First Bank');
    const id = await collaboration('segment-sizing-bank', { brand, bank });
    const members = ['tier,email'];
    const holdings = ['customer_id,product,email'];
    for (let i = 0; i < 2400; i++) members.push(`${i % 4 === 0 ? 'gold' : 'premium'},member${i}@example.com`);
    for (let i = 400; i < 2400; i++) holdings.push(`B${i},${i % 2 === 0 ? 'premium_card' : 'mortgage'},member${i}@example.com`);
    await api.upload(brand.apiKey, `/v1/collaborations/${id}/datasets/loyalty_members`, await preparedFile('members', members, { email: 'email' }));
    await api.upload(bank.apiKey, `/v1/collaborations/${id}/datasets/product_holdings`, await preparedFile('holdings', holdings, { email: 'email' }));

    const page = await signIn(brand.apiKey);
    await page.goto(`${ui.url}#/c/${id}/analyses`);
    const form = page.locator('[data-analysis=segment_size]');
    await form.locator('select[name=product]').selectOption('premium_card');
    await form.locator('button', { hasText: 'Run segment_size' }).click();
    await page.locator('.run-result[data-status=pending]').waitFor({ timeout: 60_000 });
    await page.locator('text=The result waits for the data owner’s review.').waitFor();
    const runUrl = page.url();

    const owner = await signIn(bank.apiKey);
    await owner.goto(`${ui.url}#/c/${id}/runs`);
    await owner.locator('#runs a', { hasText: 'segment_size' }).click();
    await owner.locator('button', { hasText: 'Approve the release' }).click();
    await owner.locator('.run-result[data-status=released]').waitFor();

    // The brand's page, left open on the pending run, shows the release once approved.
    await page.locator('.run-result[data-status=released]').waitFor();
    expect(page.url()).toBe(runUrl);
    // 750 of the 1,000 matched premium_card holders are premium members: 500-999 as a range.
    expect(await page.locator('[data-table=segment_size]').textContent()).toContain('Counts are ranges: each value v stands for v to v + 499.');
    expect(await page.locator('[data-table=segment_size] td').first().textContent()).toBe('500–999');
    await page.screenshot({ path: join(ARTIFACTS, 'web-reviewed-release.png'), fullPage: true });
  });
});
