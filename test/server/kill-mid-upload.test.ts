import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workDirFor } from '../../src/crypto/work-dir.js';
import { CLI, tempDir } from '../helpers/run-cleanroom.js';
import { serveBuiltCli } from '../helpers/serve-built-cli.js';
import { twoPartyFiles } from '../helpers/two-party-data.js';

const OPERATOR = 'operator-key-for-the-kill-test-0123456789';

/** Starts the built CLI's `serve` on a free port; resolves with its URL. */
const serve = (dataDir: string) => serveBuiltCli(['--data-dir', dataDir], { CLEANROOM_OPERATOR_KEY: OPERATOR });

describe.skipIf(!existsSync(CLI))('a server killed in the middle of an upload', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('keeps the committed version, leaves no half version, and cleans the partial body at restart', async () => {
    const dir = tempDir('cleanroom-kill-');
    const dataDir = join(dir, 'data');
    const files = await twoPartyFiles(dir, { aOnly: 300, bOnly: 10, byEmail: 10, byPhone: 0, byNameZip: 0 }, { aColumns: () => ({ policy_type: 'home' }), bColumns: () => ({ plan: 'basic' }) });
    const first = await serve(dataDir);
    children.push(first.child);
    const call = async (url: string, key: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      return (await res.json()) as Record<string, unknown> & { id: string; apiKey: string; templateDigest: string };
    };
    const a = await call(first.url, OPERATOR, 'POST', '/v1/parties', { name: 'A' });
    const b = await call(first.url, OPERATOR, 'POST', '/v1/parties', { name: 'B' });
    const c = await call(first.url, a.apiKey, 'POST', '/v1/collaborations', { name: 'kill', template: 'audience-overlap', members: { insurer: a.id, partner: b.id } });
    await call(first.url, a.apiKey, 'POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: '1', templateDigest: c.templateDigest });
    const whole = readFileSync(files.a);
    const put = (url: string, body: BodyInit, signal?: AbortSignal) => fetch(`${url}/v1/collaborations/${c.id}/datasets/policyholders`, { method: 'PUT', headers: { authorization: `Bearer ${a.apiKey}` }, body, duplex: 'half', ...(signal ? { signal } : {}) } as RequestInit);
    expect((await put(first.url, whole)).status).toBe(201);

    // Half of a new version, then the server dies.
    const abort = new AbortController();
    const half = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(whole.subarray(0, whole.length >> 1)) });
    const pending = put(first.url, half, abort.signal).catch(() => undefined);
    // The body in flight is spooled in the RAM-backed work dir, never under the data dir.
    const incoming = join(workDirFor(dataDir), 'incoming');
    for (let i = 0; i < 100 && !readdirSync(incoming).some((f) => f.startsWith('upload-')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(incoming).some((f) => f.startsWith('upload-'))).toBe(true);
    expect(readdirSync(join(dataDir, 'incoming'))).toEqual([]);
    first.child.kill('SIGKILL');
    abort.abort();
    await pending;

    const second = await serve(dataDir);
    children.push(second.child);
    expect(readdirSync(incoming)).toEqual([]);
    const after = await call(second.url, a.apiKey, 'GET', `/v1/collaborations/${c.id}`);
    expect((after.datasets as Record<string, { version: number; rows: number }>).policyholders).toMatchObject({ version: 1, rows: files.truth.aPeople });
    const again = await put(second.url, whole);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { version: number }).version).toBe(2);
    second.child.kill('SIGTERM');
  });
});
