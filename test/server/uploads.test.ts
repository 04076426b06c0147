import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoPartyFiles } from '../helpers/two-party-data.js';
import { tempDir } from '../helpers/run-cleanroom.js';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string; keyId: string };

describe('uploads: limits, compression, bad files, names', () => {
  let h: ServerHarness;
  let insurer: Party;
  let partner: Party;
  let cid: string;
  let prepared: string;
  const limits = { uploadBytes: 2 << 20, uploadDecompressedBytes: 4 << 20 };

  beforeAll(async () => {
    h = await serverHarness({ limits });
    insurer = await h.party('Insurer');
    partner = await h.party('Partner');
    const c = (await (await h.call('POST', '/v1/collaborations', { key: insurer.apiKey, json: { name: 'u', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id } } })).json()) as { id: string; templateDigest: string };
    cid = c.id;
    await h.call('POST', `/v1/collaborations/${cid}/attestations`, { key: insurer.apiKey, json: { termsVersion: '1', templateDigest: c.templateDigest } });
    prepared = (await twoPartyFiles(h.dir, { aOnly: 200, bOnly: 10, byEmail: 10, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) })).a;
  });
  afterAll(async () => h.close());

  const put = (body: Uint8Array | string, headers: Record<string, string> = {}, dataset = 'policyholders') =>
    h.call('PUT', `/v1/collaborations/${cid}/datasets/${dataset}`, { key: insurer.apiKey, body: body as BodyInit, headers: { 'content-type': 'text/csv', ...headers } });
  const incoming = () => readdirSync(join(h.dataDir, 'incoming'));

  it('accepts a gzip upload', async () => {
    const res = await put(gzipSync(readFileSync(prepared)), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { version: number }).version).toBe(1);
    expect(incoming()).toEqual([]);
  });

  it('refuses a body over the limit with 413, by its declared length or while streaming, and keeps nothing', async () => {
    const big = Buffer.alloc(limits.uploadBytes + 10, 0x61);
    const declared = await put(big, { 'content-length': String(big.length) });
    expect(declared.status).toBe(413);
    const streamed = await put(big);
    expect(streamed.status).toBe(413);
    expect((await errorOf(streamed)).code).toBe('too_large');
    expect(incoming()).toEqual([]);
  });

  it('cuts a gzip bomb off at the decompressed limit with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20, 0x30));
    expect(bomb.length).toBeLessThan(limits.uploadBytes);
    const res = await put(bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toContain('decompressed');
    expect(incoming()).toEqual([]);
  });

  it('refuses damaged gzip and unknown encodings with 400', async () => {
    expect((await put(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await put('a,b\n', { 'content-encoding': 'br' })).status).toBe(400);
  });

  it('refuses a file it cannot read as the dataset with 400 naming where, keeping the previous version', async () => {
    const empty = await put('');
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toMatchObject({ code: 'invalid_input', details: { line: 1 } });
    const noColumn = await put('email,phone\nx,y\n');
    expect(noColumn.status).toBe(400);
    expect(await errorOf(noColumn)).toMatchObject({ code: 'invalid_input', details: { field: 'policy_type' } });
    const c = (await (await h.call('GET', `/v1/collaborations/${cid}`, { key: insurer.apiKey })).json()) as { datasets: Record<string, { version: number }> };
    expect(c.datasets.policyholders!.version).toBe(1);
    expect(incoming()).toEqual([]);
  });

  it('reports bad rows with their line, column and reason, and stores the rest', async () => {
    const lines = readFileSync(prepared, 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const bad = lines[2]!.split(',');
    bad[header.indexOf('policy_type')] = '';
    lines[2] = bad.join(',');
    const res = await put(`${lines.join('\n')}\n`);
    expect(res.status).toBe(201);
    const { report } = (await res.json()) as { report: { rowsRejected: number; rejects: { line: number; column: string; reason: string }[] } };
    expect(report.rowsRejected).toBe(1);
    expect(report.rejects[0]).toMatchObject({ line: 3, column: 'policy_type' });
  });

  it('treats traversal in dataset names as a missing dataset or route', async () => {
    for (const name of ['..%2Fx', '%2e%2e', '..', '%2e%2e%2f%2e%2e%2fetc', 'policyholders%00', '__proto__', 'constructor']) {
      const res = await put('email\nx\n', {}, name);
      expect([404], name).toContain(res.status);
    }
    for (const id of ['..%2F..%2Fstore%2Fparties', '%2e%2e', '..%2Fincoming']) {
      const res = await h.call('PUT', `/v1/collaborations/${id}/datasets/policyholders`, { key: insurer.apiKey, body: 'a\n' });
      expect(res.status, id).toBe(404);
      expect((await h.call('GET', `/v1/collaborations/${id}/audit`, { key: insurer.apiKey })).status, id).toBe(404);
    }
    const traversed = await h.call('PUT', `/v1/collaborations/${cid}/datasets/../../x`, { key: insurer.apiKey, body: 'a\n' });
    expect(traversed.status).toBe(404);
    expect(incoming()).toEqual([]);
  });
});

describe('persistence across a restart', () => {
  it('keeps parties, key hashes, collaborations and runs; removes stale upload files', async () => {
    const dataDir = join(tempDir('cleanroom-restart-'), 'data');
    const masterKey = randomBytes(32);
    const first = await serverHarness({ dataDir, masterKey });
    const a = await first.party('A');
    const b = await first.party('B');
    const created = (await (await first.call('POST', '/v1/collaborations', { key: a.apiKey, json: { name: 'kept', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } } })).json()) as { id: string };
    await first.call('DELETE', `/v1/parties/${b.id}/keys/${b.keyId}`, { key: first.operatorKey });
    await first.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'incoming', 'upload-deadbeef.csv'), 'half an upload');
    const { startServer } = await import('../../src/server/main.js');
    const server = await startServer({ dataDir, templatesDir: join(import.meta.dirname, '..', '..', 'templates'), port: 0, env: { CLEANROOM_OPERATOR_KEY: first.operatorKey, CLEANROOM_MASTER_KEY: Buffer.from(masterKey).toString('hex') }, logTo: { write: () => undefined } as never });
    try {
      expect(readdirSync(join(dataDir, 'incoming'))).toEqual([]);
      const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
      const got = await fetch(`${server.url}/v1/collaborations/${created.id}`, auth(a.apiKey));
      expect(got.status).toBe(200);
      expect((await fetch(`${server.url}/v1/collaborations`, auth(b.apiKey))).status).toBe(401);
      expect((await fetch(`${server.url}/v1/parties`, auth(first.operatorKey))).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
