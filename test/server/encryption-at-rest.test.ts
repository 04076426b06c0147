import type { ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRoomKeys } from '../../src/engine/duckdb/room-keys.js';
import { workDirFor } from '../../src/crypto/work-dir.js';
import { startServer } from '../../src/server/main.js';
import { CLI, tempDir } from '../helpers/run-cleanroom.js';
import { serveBuiltCli } from '../helpers/serve-built-cli.js';

// Issue 15: no file under the data directory holds dataset content. Distinctive values go
// in, every analysis kind runs, the server is killed with SIGKILL mid-upload and mid-run,
// and every file under the data dir is searched, byte by byte, for each value in the
// encodings it could take. The same search over a data dir kept plain finds them: the
// search can fail.

const OPERATOR = 'operator-key-for-the-encryption-test-0123456789';
const TEMPLATES = join(import.meta.dirname, '..', 'fixtures', 'at-rest');
const SEGMENT = 'zebra-segment-7';
const PRODUCT = 'SKU-QX-48213';
const CAMPAIGN = 'camp-giraffe-3';
const REVENUE = '987654.32';
const EMAIL = 'quagga.unique@example.com';
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

type Json = Record<string, unknown> & { id: string; apiKey: string; templateDigest: string; status: string };

/** The two parties' files: 300 audience rows, 250 of them buyers, person 0 is EMAIL with the big revenue. */
function writeData(dir: string, rows = 300): { audience: string; sales: string } {
  const email = (i: number) => (i === 0 ? EMAIL : `person${i}@example.com`);
  const audience = ['user_id,campaign,segment,test_group,exposed_at,email'];
  const sales = ['customer_id,revenue,product_code,purchased_at,email'];
  for (let i = 0; i < rows; i++) {
    audience.push(`user-narwhal-${i},${CAMPAIGN},${SEGMENT},${i % 3 === 0 ? 'holdout' : 'exposed'},2026-03-01T10:00:00Z,${sha256(email(i)).toString('hex')}`);
    if (i < rows - 50) sales.push(`cust-okapi-${i},${i === 0 ? REVENUE : `${10 + (i % 40)}.25`},${PRODUCT},2026-03-05T12:00:00Z,${sha256(email(i)).toString('hex')}`);
  }
  writeFileSync(join(dir, 'audience.csv'), `${audience.join('\n')}\n`);
  writeFileSync(join(dir, 'sales.csv'), `${sales.join('\n')}\n`);
  return { audience: join(dir, 'audience.csv'), sales: join(dir, 'sales.csv') };
}

/** Each value and the byte strings it could be found as on disk. */
function needles(rekeyed: Buffer | undefined): Map<string, Buffer[]> {
  const text = (s: string): Buffer[] => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le'), Buffer.from(Buffer.from(s).toString('base64').slice(0, -4), 'latin1')];
  const digest = sha256(EMAIL);
  const int = (n: number) => {
    const [four, eight] = [Buffer.alloc(4), Buffer.alloc(8)];
    four.writeInt32LE(n);
    eight.writeBigInt64LE(BigInt(n));
    return [four, eight];
  };
  const out = new Map<string, Buffer[]>([
    ['segment', text(SEGMENT)],
    ['product code', text(PRODUCT)],
    ['campaign', text(CAMPAIGN)],
    ['customer id', text('cust-okapi-0')],
    ['revenue as text', text(REVENUE)],
    // DuckDB keeps DECIMAL(18,2) as the integer of cents; a double as IEEE 754.
    ['revenue in DuckDB storage', [...int(98765432), (() => { const b = Buffer.alloc(8); b.writeDoubleLE(987654.32); return b; })()]],
    ['email', text(EMAIL)],
    ['SHA-256 of the email', [digest, ...text(digest.toString('hex')), ...text(digest.toString('hex').toUpperCase()), ...text(digest.toString('base64'))]],
  ]);
  if (rekeyed !== undefined) out.set('re-keyed digest', [rekeyed, ...text(rekeyed.toString('hex'))]);
  return out;
}

function everyFile(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFile(path) : [path];
  });
}

/** Which needles occur in which files under `dir`. */
function search(dir: string, wanted: Map<string, Buffer[]>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of everyFile(dir)) {
    const bytes = readFileSync(file);
    for (const [name, forms] of wanted) if (forms.some((form) => bytes.includes(form))) found.set(name, [...(found.get(name) ?? []), file.slice(dir.length + 1)]);
  }
  return found;
}

/** Starts the built CLI's `serve` with the master key in `keyFile`; resolves with its URL. */
const serve = (dataDir: string, keyFile: string) => serveBuiltCli(['--data-dir', dataDir, '--templates', TEMPLATES, '--master-key-file', keyFile], { CLEANROOM_OPERATOR_KEY: OPERATOR });

/** A client of one server URL. */
function client(url: string) {
  const call = async (key: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const parsed = (await res.json()) as Json;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const put = async (key: string, path: string, body: BodyInit, signal?: AbortSignal): Promise<Response> => fetch(`${url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body, duplex: 'half', ...(signal ? { signal } : {}) } as RequestInit);
  return { call, put };
}

const RUNS: [string, 'publisher' | 'retailer', Record<string, unknown>][] = [
  ['overlap', 'publisher', {}],
  ['spend', 'publisher', {}],
  ['attribution', 'retailer', {}],
  ['lift', 'publisher', { converted_from: '2026-03-01', converted_to: '2026-03-31' }],
  ['buyers', 'retailer', {}],
  ['custom_sql', 'retailer', { sql: 'SELECT a.segment, s.product_code, count(*) AS purchases, sum(s.revenue) AS total_revenue FROM sales s JOIN audience a ON s.email = a.email GROUP BY a.segment, s.product_code' }],
];

/** Parties, the collaboration, both uploads and every analysis kind; the audience downloaded. */
async function fill(url: string, files: { audience: string; sales: string }) {
  const { call, put } = client(url);
  const publisher = await call(OPERATOR, 'POST', '/v1/parties', { name: 'Publisher' });
  const retailer = await call(OPERATOR, 'POST', '/v1/parties', { name: 'Retailer' });
  const c = await call(publisher.apiKey, 'POST', '/v1/collaborations', { name: 'at rest', template: 'every-kind', members: { publisher: publisher.id, retailer: retailer.id } });
  for (const p of [publisher, retailer]) await call(p.apiKey, 'POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: '1', templateDigest: c.templateDigest });
  expect((await put(publisher.apiKey, `/v1/collaborations/${c.id}/datasets/audience`, readFileSync(files.audience))).status).toBe(201);
  expect((await put(retailer.apiKey, `/v1/collaborations/${c.id}/datasets/sales`, readFileSync(files.sales))).status).toBe(201);
  const keys = { publisher: publisher.apiKey, retailer: retailer.apiKey };
  for (const [analysis, who, params] of RUNS) {
    const run = await call(keys[who], 'POST', `/v1/collaborations/${c.id}/runs`, { analysis, params });
    expect(run.status, `${analysis}: ${JSON.stringify(run)}`).toBe('released');
    if (analysis === 'buyers') {
      const res = await fetch(`${url}/v1/collaborations/${c.id}/runs/${run.id}/audience.csv`, { headers: { authorization: `Bearer ${keys.retailer}` } });
      expect(await res.text()).toContain('cust-okapi-0');
    }
  }
  return { id: c.id, keys, c };
}

describe.skipIf(!existsSync(CLI))('dataset content at rest', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('no file under the data dir holds any value, after every analysis kind and SIGKILL mid-upload and mid-run; the last version survives', async () => {
    const dir = tempDir('cleanroom-at-rest-');
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'master.key');
    const masterKey = randomBytes(32);
    writeFileSync(keyFile, `${masterKey.toString('hex')}\n`, { mode: 0o600 });
    const files = writeData(dir);
    const first = await serve(dataDir, keyFile);
    children.push(first.child);
    const { id, keys } = await fill(first.url, files);

    // SIGKILL mid-upload: half a new version of the sales is in flight (in the RAM-backed work dir only).
    const incoming = join(workDirFor(dataDir), 'incoming');
    const abort = new AbortController();
    const whole = readFileSync(files.sales);
    const half = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(whole.subarray(0, whole.length >> 1)) });
    const pending = client(first.url).put(keys.retailer, `/v1/collaborations/${id}/datasets/sales`, half, abort.signal).catch(() => undefined);
    for (let i = 0; i < 100 && !readdirSync(incoming).some((f) => f.startsWith('upload-')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(incoming).some((f) => f.startsWith('upload-'))).toBe(true);
    first.child.kill('SIGKILL');
    abort.abort();
    await pending;
    const rekeyed = createHmac('sha256', (await readRoomKeys(join(dataDir, 'keys', `${id}.room.json`), { masterKey, collaborationId: id })).hmacKey).update(sha256(EMAIL)).digest();
    const wanted = needles(rekeyed);
    expect(search(dataDir, wanted)).toEqual(new Map());

    // SIGKILL mid-run.
    const second = await serve(dataDir, keyFile);
    children.push(second.child);
    const after = await client(second.url).call(keys.retailer, 'GET', `/v1/collaborations/${id}`);
    expect((after.datasets as Record<string, { version: number; rows: number }>).sales).toMatchObject({ version: 1, rows: 250 });
    void fetch(`${second.url}/v1/collaborations/${id}/runs`, { method: 'POST', headers: { authorization: `Bearer ${keys.publisher}`, 'content-type': 'application/json' }, body: JSON.stringify({ analysis: 'spend', params: { group_by: ['sales.product_code'] } }) }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150));
    second.child.kill('SIGKILL');
    expect(search(dataDir, wanted)).toEqual(new Map());

    // The room opens again and answers from the committed version; nothing leaked after a clean stop either.
    const third = await serve(dataDir, keyFile);
    children.push(third.child);
    const again = await client(third.url).call(keys.publisher, 'POST', `/v1/collaborations/${id}/runs`, { analysis: 'overlap', params: {} });
    expect(again.status).toBe('released');
    const view = await client(third.url).call(keys.publisher, 'GET', `/v1/collaborations/${id}`);
    expect(view.encryptedAtRest).toBe(true);
    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
    expect(search(dataDir, wanted)).toEqual(new Map());
    // What a stolen data dir holds is sealed: the room, the runs, the ledgers and logs.
    expect(readFileSync(join(dataDir, 'collaborations', id, 'room.sealed')).subarray(0, 8).toString('latin1')).toBe('CRSEAL01');
  });

  it('the same search finds the values in a data dir kept plain (encryption off): it can fail', async () => {
    const dir = tempDir('cleanroom-plain-');
    const dataDir = join(dir, 'data');
    const files = writeData(dir);
    const masterKey = randomBytes(32);
    const server = await startServer({ dataDir, templatesDir: TEMPLATES, port: 0, env: { CLEANROOM_OPERATOR_KEY: OPERATOR, CLEANROOM_MASTER_KEY: masterKey.toString('hex') }, out: { write: () => true } as unknown as NodeJS.WritableStream, logTo: { write: () => true } as never, encryption: 'off' });
    try {
      const { id, keys } = await fill(server.url, files);
      expect((await client(server.url).call(keys.publisher, 'GET', `/v1/collaborations/${id}`)).encryptedAtRest).toBe(false);
      const rekeyed = createHmac('sha256', (await readRoomKeys(join(dataDir, 'keys', `${id}.room.json`), { masterKey, collaborationId: id })).hmacKey).update(sha256(EMAIL)).digest();
      const found = search(dataDir, needles(rekeyed));
      for (const name of ['segment', 'product code', 'campaign', 'customer id', 're-keyed digest']) expect(found.has(name), `${name} in the plain data dir`).toBe(true);
    } finally {
      await server.close();
    }
  });
});
