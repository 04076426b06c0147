import { writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { Agent, createServer as createHttpsServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { cliInProcess as cli } from '../helpers/cli-in-process.js';
import { CLI, tempDir } from '../helpers/run-cleanroom.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import type { TestCertificate } from '../helpers/test-certificate.js';
import { serveBuiltCli } from '../helpers/serve-built-cli.js';
import { TEMPLATES } from './server-harness.js';

// HTTPS on a real socket (127.0.0.1 only): HTTP/2 and HTTP/1.1, HSTS, the CLI trusting a
// self-signed certificate through --ca-file. Bad TLS input: tls-refusals.test.ts.

const quiet = { out: { write: () => true } as never, logTo: { write: () => undefined } as never };

function http1Get(url: string, ca: string): Promise<{ version: string; status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const agent = new Agent({ ca });
    request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => {
        agent.destroy();
        resolve({ version: res.httpVersion, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    })
      .on('error', reject)
      .end();
  });
}

function http2Get(session: ClientHttp2Session, path: string, send?: { key: string; json: unknown }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(send === undefined ? { ':path': path } : { ':path': path, ':method': 'POST', authorization: `Bearer ${send.key}`, 'content-type': 'application/json' });
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => {
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    stream.on('error', reject);
    stream.end(send === undefined ? undefined : JSON.stringify(send.json));
  });
}

describe('cleanroom over HTTPS', () => {
  let dir: string;
  let cert: TestCertificate;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    dir = tempDir('cleanroom-tls-');
    cert = await makeTestCertificate(dir);
    server = await startServer({ dataDir: join(dir, 'data'), templatesDir: TEMPLATES, port: 0, tls: { certFile: cert.certFile, keyFile: cert.keyFile }, ...quiet });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers at an https:// url over HTTP/1.1, with HSTS on answers and errors', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await http1Get(`${server.url}/healthz`, cert.cert);
    expect(health).toMatchObject({ version: '1.1', status: 200, body: '{"ok":true}' });
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    const refused = await http1Get(`${server.url}/v1/parties`, cert.cert);
    expect(refused.status).toBe(401);
    expect(refused.headers['strict-transport-security']).toBe('max-age=31536000');
    const missing = await http1Get(`${server.url}/no-such-path`, cert.cert);
    expect(missing.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('speaks HTTP/2 when the client offers it (ALPN h2), with HSTS', async () => {
    const session = connect(server.url, { ca: cert.cert });
    try {
      const health = await http2Get(session, '/healthz');
      expect(health).toMatchObject({ status: 200, body: '{"ok":true}' });
      expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(session.alpnProtocol).toBe('h2');
      // A request body over HTTP/2 reaches the route (the operator creates a party).
      const created = await http2Get(session, '/v1/parties', { key: server.operatorKey, json: { name: 'Over h2' } });
      expect(created.status, created.body).toBe(201);
      expect(JSON.parse(created.body)).toMatchObject({ name: 'Over h2' });
    } finally {
      session.close();
    }
  });

  it('refuses TLS 1.1 and older', async () => {
    const port = Number(new URL(server.url).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port, ca: cert.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }, () => {
        socket.end();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(outcome).not.toBe('connected');
  });

  it('the CLI verifies the certificate: it fails clearly without --ca-file and works with it (or CLEANROOM_CA_FILE), streamed uploads included', async () => {
    const op = ['--server', server.url, '--api-key', server.operatorKey];
    const untrusted = await cli(['party', 'list', ...op]);
    expect(untrusted.code).toBe(74);
    expect(untrusted.stderr).toContain(`Cannot reach the cleanroom server at ${server.url}`);
    expect(untrusted.stderr).toContain("the server's TLS certificate is not trusted: pass --ca-file FILE");

    const created = await cli(['party', 'create', 'Insurer', ...op, '--ca-file', cert.certFile, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const insurer = JSON.parse(created.stdout) as { id: string; apiKey: string };
    const partner = JSON.parse((await cli(['party', 'create', 'Partner', ...op, '--json'], { CLEANROOM_CA_FILE: cert.certFile })).stdout) as { id: string; apiKey: string };
    const as = (p: { apiKey: string }) => ['--server', server.url, '--api-key', p.apiKey, '--ca-file', cert.certFile];
    const collab = await cli(['collab', 'create', '--name', 'tls', '--template', 'audience-overlap', '--member', `insurer=${insurer.id}`, '--member', `partner=${partner.id}`, ...as(insurer), '--json']);
    expect(collab.code, collab.stderr).toBe(0);
    const cid = (JSON.parse(collab.stdout) as { id: string }).id;
    for (const p of [insurer, partner]) expect((await cli(['attest', cid, ...as(p)])).code).toBe(0);
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, `email,policy_type\n${Array.from({ length: 50 }, (_, i) => `person${i}@example.com,${i % 2 === 0 ? 'home' : 'auto'}`).join('\n')}\n`);
    const up = await cli(['upload', cid, 'policyholders', csv, '--workers', '0', '--gzip', ...as(insurer)]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('50 stored');
  });

  it('the CLI names a --ca-file that is missing or not PEM', async () => {
    const op = ['--server', server.url, '--api-key', server.operatorKey];
    const missing = await cli(['party', 'list', ...op, '--ca-file', join(dir, 'nope.pem')]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain(`Cannot read CA file ${join(dir, 'nope.pem')}: no such file`);
    const notPem = await cli(['party', 'list', ...op, '--ca-file', cert.keyFile]);
    expect(notPem.code).toBe(65);
    expect(notPem.stderr).toContain(`Cannot read CA file ${cert.keyFile} as PEM`);
  });
});

describe('closing an HTTPS server', () => {
  it('does not wait for idle keep-alive clients, HTTP/1.1 or HTTP/2', async () => {
    const dir = tempDir('cleanroom-tls-close-');
    const cert = await makeTestCertificate(dir);
    const server = await startServer({ dataDir: join(dir, 'data'), templatesDir: TEMPLATES, port: 0, tls: { certFile: cert.certFile, keyFile: cert.keyFile }, ...quiet });
    const agent = new Agent({ ca: cert.cert, keepAlive: true });
    await new Promise<void>((resolve, reject) => request(`${server.url}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
    const session = connect(server.url, { ca: cert.cert });
    expect((await http2Get(session, '/healthz')).status).toBe(200);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    agent.destroy();
    session.destroy();
  });
});

describe('the CLI names why it refuses a server certificate', () => {
  async function refusal(cert: TestCertificate): Promise<string> {
    const server = createHttpsServer({ cert: cert.cert, key: cert.key }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await cli(['metrics', '--server', url, '--api-key', 'crk_x', '--ca-file', cert.certFile]);
      expect(result.code).toBe(74);
      return result.stderr;
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it('an expired certificate, even a trusted one: the operator must renew it', async () => {
    const dir = tempDir('cleanroom-tls-why-');
    const expired = await makeTestCertificate(dir, { notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    expect(await refusal(expired)).toContain('outside its validity period');
  });

  it('a certificate for another host name', async () => {
    const dir = tempDir('cleanroom-tls-why-');
    const elsewhere = await makeTestCertificate(dir, { dnsNames: ['room.example.test'] });
    expect(await refusal(elsewhere)).toContain('does not name this host');
  });
});

describe('the built cleanroom serve with --tls-cert and --tls-key', () => {
  it('prints an https:// url that answers, and stops on SIGTERM', async () => {
    const dir = tempDir('cleanroom-tls-cli-');
    const cert = await makeTestCertificate(dir);
    const { child, url } = await serveBuiltCli(['--data-dir', join(dir, 'data'), '--templates', TEMPLATES, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await http1Get(`${url}/healthz`, cert.cert);
      expect(health.status).toBe(200);
      expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
