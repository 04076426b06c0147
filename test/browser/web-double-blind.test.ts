import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blindReady, formatBlindKey, newBlindKey } from '../../src/core/identity/blind/index.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { blindPrepare, keyCheckHeader, syncOverHttp } from '../helpers/double-blind-flow.js';
import { startTestApi } from './helpers/api-server.js';
import type { TestApi } from './helpers/api-server.js';
import { buildWeb } from './helpers/build-web.js';
import { ARTIFACTS, launchChromium } from './helpers/chromium.js';
import { pageSession } from './helpers/page-session.js';

// Issue 13 in Chromium: the insurer takes part in a double-blind collaboration from the
// browser only — its key file chosen in the page, its file blinded in Web Workers and
// uploaded with the key check, the partner's batches blinded a second time in a Web Worker
// with a progress bar — while the partner uses the Node client. The overlap equals the
// hashed collaboration's on the same files, and no request carries the key.
const dir = mkdtempSync(join(tmpdir(), 'cleanroom-ui-blind-'));
const SHARED = 1200;
let api: TestApi;
let ui: { url: string };
let context: BrowserContext;
let insurer: { id: string; apiKey: string };
let partner: { id: string; apiKey: string };
const session = pageSession(() => context, () => ui.url);

const files = {
  insurer: join(dir, 'policyholders.csv'),
  partner: join(dir, 'partner.csv'),
  insurerKey: join(dir, 'insurer-blind.key'),
};

async function collaboration(hashing?: string): Promise<string> {
  const created = await api.call(insurer.apiKey, 'POST', '/v1/collaborations', { name: 'db', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id }, ...(hashing === undefined ? {} : { hashing }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const c = created.body as { id: string; templateDigest: string; template: { terms: { version: string } } };
  for (const p of [insurer, partner]) expect((await api.call(p.apiKey, 'POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest })).status).toBe(201);
  return c.id;
}

const call = (method: string, path: string, options: { key?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.key}`, ...(options.json === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });

beforeAll(async () => {
  await blindReady();
  writeFileSync(files.insurer, `policy_type,email\n${Array.from({ length: 2000 }, (_, i) => `home,Person.${i}@Example.com`).join('\n')}\n`);
  writeFileSync(files.partner, `plan,email\n${Array.from({ length: 1800 }, (_, i) => `basic,person.${i + 2000 - SHARED}@example.com`).join('\n')}\n`);
  writeFileSync(files.insurerKey, `${formatBlindKey(newBlindKey())}\n`, { mode: 0o600 });
  const [dist, browser] = await Promise.all([buildWeb(), launchChromium()]);
  context = browser;
  api = await startTestApi({ webDir: dist });
  ui = { url: `${api.url}/` };
  insurer = await api.createParty('Acme Insurance');
  partner = await api.createParty('SafeHome Security');
}, 600_000);

afterEach(async () => {
  expect(await session.closeAll()).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await api?.close();
});

describe('double-blind matching in Chromium', () => {
  it('blinds, uploads and runs the exchange in the browser; the overlap equals the hashed one', async () => {
    const id = await collaboration('double-blind');
    const partnerKey = newBlindKey();
    const blinded = await blindPrepare(files.partner, join(dir, 'partner.blinded.csv'), partnerKey);
    const up = await fetch(`${api.url}/v1/collaborations/${id}/datasets/partner_customers`, { method: 'PUT', headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'text/csv', ...keyCheckHeader(partnerKey) }, body: readFileSync(blinded) });
    expect(up.status, await up.clone().text()).toBe(202);

    const page = await session.signIn(insurer.apiKey);
    const secret = readFileSync(files.insurerKey, 'utf8').trim().split(':')[1]!;
    const sent: string[] = [];
    if (process.env.DEBUG_UI) page.on('console', (m) => console.log('console:', m.text()));
    page.on('request', (r) => sent.push(`${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ''}`));
    await page.goto(`${ui.url}#/c/${id}/datasets`);
    const panel = page.locator('[data-blind]');
    await panel.waitFor();
    await panel.locator('[data-blind-waiting]').filter({ hasText: 'batches of the other party' }).waitFor({ timeout: 30_000 });

    // Upload through the wizard with the key file.
    const card = page.locator('[data-dataset=policyholders]');
    await card.locator('button', { hasText: 'Upload' }).click();
    await card.locator('input[name=file]').setInputFiles(files.insurer);
    await card.locator('[data-step=map]').waitFor();
    await card.locator('input[name=wizard-blind-key]').setInputFiles(files.insurerKey);
    await card.locator('[data-blind-key-ready]').waitFor().catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await card.innerText()}`);
    });
    await card.locator('text=Prepare in my browser').click();
    await card.locator('[data-step=review]').waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await card.innerText()}`);
    });
    const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/datasets/policyholders'));
    await card.locator('button', { hasText: 'Upload the prepared file' }).click();
    const request = await put;
    await card.locator('[data-uploaded-blind]').waitFor({ timeout: 30_000 });
    expect(request.headers()['x-cleanroom-key-check']).toMatch(/^[0-9a-f]{64}$/);
    const body = request.postDataBuffer()!.toString('utf8');
    expect(body).not.toContain('@');
    // The browser's blinding is the CLI's: the same file, the same key, the same bytes.
    const cli = join(dir, 'insurer.cli.csv');
    await prepareFile({ input: files.insurer, output: cli, workers: 0, hash: 'blind', key: readFileSync(files.insurerKey), map: { email: 'email' }, autoDetect: false });
    expect(body).toBe(readFileSync(cli, 'utf8'));

    // The second blinding of the partner's upload, in a Web Worker, with a progress bar.
    await panel.locator('input[name=blind-key]').setInputFiles(files.insurerKey);
    await panel.locator('[data-blind-key-ready]').waitFor();
    await panel.locator('button[name=blind-sync]').click();
    await panel.locator('[data-blind-done]').filter({ hasText: 'Loaded: partner_customers' }).waitFor({ timeout: 120_000 });
    const progress = panel.locator('[data-blind-progress]');
    expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
    await page.screenshot({ path: join(ARTIFACTS, 'web-double-blind.png'), fullPage: true });
    for (const line of sent) expect(line).not.toContain(secret);

    // The partner blinds the insurer's upload with the Node client; then both are loaded.
    expect(await syncOverHttp(call, `/v1/collaborations/${id}`, partner.apiKey, partnerKey)).toHaveLength(1);
    const hashed = await collaboration();
    for (const [p, dataset, file] of [[insurer, 'policyholders', files.insurer], [partner, 'partner_customers', files.partner]] as const) {
      const out = join(dir, `${dataset}.sha256.csv`);
      await prepareFile({ input: file, output: out, workers: 0 });
      await api.upload(p.apiKey, `/v1/collaborations/${hashed}/datasets/${dataset}`, out);
    }
    const overall = async (collab: string) => {
      const run = await api.call(insurer.apiKey, 'POST', `/v1/collaborations/${collab}/runs`, { analysis: 'overlap', params: {} });
      expect(run.status).toBe(201);
      return (run.body as { result: { tables: { overall: { rows: unknown[] } } } }).result.tables.overall.rows;
    };
    const blindRows = await overall(id);
    expect(blindRows).toEqual(await overall(hashed));
    expect(blindRows).toMatchObject([{ people: SHARED }]);
  }, 300_000);
});
