import { gzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };

describe('uploads to a template that hashes in the room', () => {
  let h: ServerHarness;
  let team: Party;
  let rideshare: Party;
  let cid: string;
  const limits = { uploadBytes: 2 << 20, uploadDecompressedBytes: 4 << 20 };

  beforeAll(async () => {
    h = await serverHarness({ limits });
    team = await h.party('Team');
    rideshare = await h.party('Rideshare');
    const c = (await (await h.call('POST', '/v1/collaborations', { key: team.apiKey, json: { name: 'fans', template: 'audience-activation', members: { team: team.id, rideshare: rideshare.id } } })).json()) as { id: string; templateDigest: string };
    cid = c.id;
    await h.call('POST', `/v1/collaborations/${cid}/attestations`, { key: team.apiKey, json: { termsVersion: '1', templateDigest: c.templateDigest } });
  });
  afterAll(async () => h.close());

  const put = (body: Uint8Array | string, headers: Record<string, string> = {}) =>
    h.call('PUT', `/v1/collaborations/${cid}/datasets/fans`, { key: team.apiKey, body: body as BodyInit, headers: { 'content-type': 'text/csv', ...headers } });
  const raw = `email,phone,fan_tier\n${Array.from({ length: 500 }, (_, i) => `Fan${i}@Mail.example,(212) 555-${1000 + i},member`).join('\n')}\n`;

  it('takes raw identifiers as a stream, plain or gzipped, and stores only their hashes', async () => {
    const plain = await put(raw);
    expect(plain.status).toBe(201);
    expect(((await plain.json()) as { report: { rowsStored: number } }).report.rowsStored).toBe(500);
    const zipped = await put(gzipSync(raw), { 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(201);
    expect(readdirSync(join(h.dataDir, 'incoming'))).toEqual([]);
  });

  it('keeps the limits on the streamed path: 413 for a body or a gzip bomb past them, 400 for damaged gzip', async () => {
    expect((await put(Buffer.alloc(limits.uploadBytes + 10, 0x61))).status).toBe(413);
    const bomb = await put(gzipSync(Buffer.alloc(64 << 20, 0x30)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect((await errorOf(bomb)).message).toContain('decompressed');
    const damaged = await put(Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]), { 'content-encoding': 'gzip' });
    expect(damaged.status).toBe(400);
    expect(readdirSync(join(h.dataDir, 'incoming'))).toEqual([]);
  });
});
