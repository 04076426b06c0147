import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { startTestApi } from './helpers/api-server.js';
import type { TestApi } from './helpers/api-server.js';
import { buildWeb } from './helpers/build-web.js';
import { ARTIFACTS, launchChromium } from './helpers/chromium.js';
import { overlapFiles } from './helpers/overlap-files.js';
import { pageSession } from './helpers/page-session.js';

// The web UI in Debian's Chromium against the real server: a collaboration made, terms
// accepted, files prepared in the browser and uploaded, an overlap run and charted, and
// the walls between parties — each step a person's clicks, screenshots in test-artifacts/.
const files = overlapFiles();
const dir = mkdtempSync(join(tmpdir(), 'cleanroom-ui-files-'));
const insurerFile = join(dir, 'policyholders.csv');
const partnerFile = join(dir, 'partner customers.csv');
let api: TestApi;
let ui: { url: string };
let context: BrowserContext;
let insurer: { id: string; apiKey: string };
let partner: { id: string; apiKey: string };
let outsider: { id: string; apiKey: string };
let collaborationId = '';
let expectedPrepared: Buffer;

const session = pageSession(() => context, () => ui.url);
const { signIn } = session;

/** Waits until an element of `locator` holds `text` (Chromium renders asynchronously). */
async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 30_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });
}

async function acceptTerms(page: Page): Promise<void> {
  await page.goto(`${ui.url}#/c/${collaborationId}/overview`);
  await page.check('input[name=termsRead]');
  await page.click('text=Accept the terms');
  await page.waitForSelector('text=You have accepted these terms.');
}

/** Runs the upload wizard on a file and returns the body of the PUT the page sent. */
async function uploadThroughWizard(page: Page, dataset: string, file: string, mapping: Record<string, string>): Promise<Buffer> {
  await page.goto(`${ui.url}#/c/${collaborationId}/datasets`);
  const card = page.locator(`[data-dataset=${dataset}]`);
  await card.locator('button', { hasText: 'Upload' }).click();
  await card.locator('input[name=file]').setInputFiles(file);
  await card.locator('[data-step=map]').waitFor();
  for (const [column, header] of Object.entries(mapping)) await card.locator(`select[name=map-${column}]`).selectOption(header);
  await card.locator('text=Prepare in my browser').click();
  await card.locator('[data-step=review]').waitFor({ timeout: 60_000 });
  await shot(page, `${dataset}-quality-report`);
  const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/datasets/${dataset}`));
  await card.locator('button', { hasText: 'Upload the prepared file' }).click();
  const request = await put;
  await card.locator('[data-uploaded-version]').waitFor();
  const body = request.postDataBuffer();
  if (body === null) throw new Error('Cannot read the PUT body from the request event');
  return body;
}

beforeAll(async () => {
  writeFileSync(insurerFile, files.insurerCsv);
  writeFileSync(partnerFile, files.partnerCsv);
  const expectedPath = join(dir, 'expected.csv');
  await prepareFile({ input: insurerFile, output: expectedPath, map: { email: 'email', phone: 'phone', first_name: 'first_name', last_name: 'last_name', zip: 'zip' }, autoDetect: false, workers: 0 });
  expectedPrepared = readFileSync(expectedPath);
  const [dist, browser] = await Promise.all([buildWeb(), launchChromium()]);
  context = browser;
  // The server serves the built UI itself, as `cleanroom serve` does: one origin, no proxy.
  api = await startTestApi({ webDir: dist });
  ui = { url: `${api.url}/` };
  insurer = await api.createParty('Acme Insurance');
  partner = await api.createParty('SafeHome Security');
  outsider = await api.createParty('Curious Broker');
}, 600_000); // a fresh machine installs Chromium first

afterEach(async () => {
  expect(await session.closeAll()).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await api?.close();
});

describe('web UI in Chromium', () => {
  it('refuses a wrong key with the server’s message', async () => {
    const page = session.track(await context.newPage());
    await page.goto(ui.url);
    await page.fill('input[name=apiKey]', 'crk_not_a_key');
    await page.click('button[type=submit]');
    await waitForText(page.locator('[role=alert]'), 'Cannot authenticate the request');
    expect(await page.locator('header.top').count()).toBe(0);
  });

  it('a party creates a collaboration from a ready template and accepts its terms', async () => {
    const page = await signIn(insurer.apiKey);
    await page.click('text=New collaboration');
    await page.selectOption('select[name=template]', 'audience-overlap');
    await page.fill('input[name=name]', 'Insurer x security partner');
    await page.selectOption('select[name=member-insurer]', insurer.id);
    await page.selectOption('select[name=member-partner]', partner.id);
    await page.click('button:has-text("Create")');
    await page.waitForURL(/#\/c\//);
    collaborationId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    await acceptTerms(page);
    await shot(page, 'terms-accepted');
    expect(collaborationId).toMatch(/^c/);
  });

  it('prepares in the browser exactly what `cleanroom prepare` writes, and uploads no raw email', async () => {
    const page = await signIn(insurer.apiKey);
    const body = await uploadThroughWizard(page, 'policyholders', insurerFile, {});
    expect(body.length).toBe(expectedPrepared.length);
    expect(body.equals(expectedPrepared)).toBe(true);
    const text = body.toString('utf8');
    expect(text).not.toContain('@');
    for (const email of files.emails.slice(0, 500)) expect(text).not.toContain(email);
    await waitForText(page.locator('[data-dataset=policyholders] [data-dataset-state]'), 'Version 1');
    // 16,032 rows read in the browser, 32 exact duplicates removed there: the room stores the rest.
    await waitForText(page.locator('[data-uploaded-version]'), 'the room stored 16,000 of 16,000 rows');

    const card = page.locator('[data-dataset=policyholders]');
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('button', { hasText: 'Download the CSV template' }).click()]);
    expect(download.suggestedFilename()).toBe('policyholders.template.csv');
    expect(readFileSync((await download.path())!, 'utf8').split('\n')[0]).toBe('policy_type,email,phone,first_name,last_name,zip');
  });

  it('maps a file with its own column names, and drops the columns the template does not name', async () => {
    const page = await signIn(partner.apiKey);
    await acceptTerms(page);
    const body = await uploadThroughWizard(page, 'partner_customers', partnerFile, { email: 'E-Mail Address', phone: 'Mobile', first_name: 'Given name', last_name: 'Surname', zip: 'Postcode' });
    const text = body.toString('utf8');
    expect(text.split('\n')[0]).toBe('plan,email,phone,first_name,last_name,zip');
    expect(text).not.toContain('@');
    expect(text).not.toContain('called ');
    expect(text.split('\n')[1]).toMatch(/^(basic|monitored|premium),([0-9a-f]{64})?,([0-9a-f]{64})?,[0-9a-f]{64},[0-9a-f]{64},[0-9a-f]{64}$/);
  });

  it('runs an overlap from its generated form and shows it as a chart and tables', async () => {
    const page = await signIn(insurer.apiKey);
    await page.goto(`${ui.url}#/c/${collaborationId}/analyses`);
    await page.click('button:has-text("Run overlap")');
    await page.waitForSelector('[data-run] .run-result', { timeout: 60_000 });
    await expect(page.locator('.run-result').getAttribute('data-status')).resolves.toBe('released');
    await page.waitForSelector('[data-chart="Overlap per match key"] svg');
    expect(await page.locator('[data-chart="Overlap per match key"] svg rect').count()).toBeGreaterThan(0);
    await page.locator('[data-table=overall] td').first().waitFor();
    await shot(page, 'overlap-result');

    // The other receiver finds the run in its list and reads the same result.
    const other = await signIn(partner.apiKey);
    await other.goto(`${ui.url}#/c/${collaborationId}/runs`);
    await other.locator('#runs a', { hasText: 'overlap' }).click();
    await other.waitForSelector('[data-chart="Overlap per match key"] svg');
  });

  it('shows a second party nothing of the first party’s dataset, and an outsider not even the collaboration', async () => {
    const page = await signIn(partner.apiKey);
    await page.goto(`${ui.url}#/c/${collaborationId}/datasets`);
    const theirs = page.locator('[data-dataset=policyholders]');
    await waitForText(theirs.locator('[data-dataset-state]'), 'Version 1');
    expect(await theirs.locator('button', { hasText: 'Upload' }).count()).toBe(0);
    const html = await page.content();
    for (const line of expectedPrepared.toString('utf8').split('\n').slice(1, 200)) {
      for (const hash of line.match(/[0-9a-f]{64}/g) ?? []) expect(html).not.toContain(hash);
    }
    for (const method of ['GET', 'POST']) {
      const answer = await api.call(partner.apiKey, method, `/v1/collaborations/${collaborationId}/datasets/policyholders`);
      expect(answer.status).toBe(404);
    }
    await shot(page, 'partner-datasets');

    const stranger = await signIn(outsider.apiKey);
    await stranger.locator('text=You are not in any collaboration yet.').waitFor();
    await stranger.goto(`${ui.url}#/c/${collaborationId}/datasets`);
    await waitForText(stranger.locator('[role=alert]'), 'not_found');
    await shot(stranger, 'outsider');
  });

  it('lets a member verify the audit chain, and shows the operator metrics and parties but no data', async () => {
    const page = await signIn(insurer.apiKey);
    await page.goto(`${ui.url}#/c/${collaborationId}/audit`);
    await page.click('text=Verify the chain');
    await waitForText(page.locator('.verify'), 'Chain intact');
    await shot(page, 'audit');

    const operator = await signIn(api.operatorKey);
    await operator.locator('[data-identity=operator]').waitFor();
    expect(await operator.locator('[data-metric=collaborations] .value').textContent()).toBe('1');
    await waitForText(operator.locator('table.parties'), 'SafeHome Security');
    expect(await operator.content()).not.toMatch(/[0-9a-f]{64}/);
    await shot(operator, 'operator');

    // The operator revokes the outsider's key: it signs in no more; a new key, shown once, does.
    const row = operator.locator(`[data-party=${outsider.id}]`);
    await row.locator('button', { hasText: 'Revoke' }).click();
    await waitForText(row, 'revoked');
    const refused = session.track(await context.newPage());
    await refused.goto(ui.url);
    await refused.fill('input[name=apiKey]', outsider.apiKey);
    await refused.click('button[type=submit]');
    await waitForText(refused.locator('[role=alert]'), 'Cannot authenticate the request');
    await row.locator('button', { hasText: 'Issue a new key' }).click();
    const fresh = await operator.locator('[data-new-key]').textContent();
    const again = await signIn(fresh!);
    await again.locator('text=You are not in any collaboration yet.').waitFor();
  });
});
