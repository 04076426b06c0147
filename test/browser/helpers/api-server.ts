import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServer } from '../../../src/server/main.js';

/** A running cleanroom API on 127.0.0.1 with a fresh data directory. */
export interface TestApi {
  url: string;
  operatorKey: string;
  /** POST /v1/parties as the operator. */
  createParty(name: string): Promise<{ id: string; name: string; apiKey: string }>;
  /** PUT of a prepared CSV file, as a party's script would upload it. */
  upload(key: string, path: string, file: string): Promise<void>;
  /** A JSON call with a key; returns status and body. */
  call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/**
 * Starts the real server (embedded DuckDB, ready templates) on a free loopback port,
 * serving the built UI at / when `webDir` is given, as `cleanroom serve` does.
 *
 * @example
 * ```ts
 * const api = await startTestApi({ webDir: await buildWeb() });
 * const retailer = await api.createParty('Retailer');
 * ```
 */
export async function startTestApi(options: { webDir?: string } = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cleanroom-ui-data-'));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const server = await startServer({ dataDir, templatesDir: join(process.cwd(), 'templates'), port: 0, host: '127.0.0.1', env: {}, out: quiet, logTo: quiet as never, limits: { rateBurst: 10_000, ratePerSecond: 10_000 }, ...(options.webDir !== undefined ? { webDir: options.webDir } : {}) });
  const call = async (key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a CSV or an empty body stays text
    }
    return { status: response.status, body: parsed };
  };
  return {
    url: server.url,
    operatorKey: server.operatorKey,
    call,
    async createParty(name) {
      const answer = await call(server.operatorKey, 'POST', '/v1/parties', { name });
      if (answer.status !== 201) throw new Error(`Cannot create party ${name}: ${JSON.stringify(answer.body)}`);
      return answer.body as { id: string; name: string; apiKey: string };
    },
    async upload(key, path, file) {
      const response = await fetch(`${server.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body: readFileSync(file) });
      if (response.status !== 201) throw new Error(`Cannot upload ${file} to ${path}: ${response.status} ${await response.text()}`);
    },
    close: server.close,
  };
}
