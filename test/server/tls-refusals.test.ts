import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/main.js';
import { cliInProcess as cli } from '../helpers/cli-in-process.js';
import { tempDir } from '../helpers/run-cleanroom.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import type { TestCertificate } from '../helpers/test-certificate.js';
import { TEMPLATES } from './server-harness.js';

// Every bad TLS input and an unsafe bind exit non-zero, naming the file or host, before the
// data dir is created, locked or written.

const quiet = { out: { write: () => true } as never, logTo: { write: () => undefined } as never };

describe('cleanroom serve refuses bad TLS input and unsafe binds before touching the data dir', () => {
  let dir: string;
  let cert: TestCertificate;
  const day = 86_400_000;

  beforeAll(async () => {
    dir = tempDir('cleanroom-tls-bad-');
    cert = await makeTestCertificate(dir);
  });

  async function refused(args: string[], code: number, message: string): Promise<void> {
    const dataDir = join(dir, `data-${Math.random().toString(36).slice(2)}`);
    const result = await cli(['serve', '--data-dir', dataDir, '--port', '0', '--templates', TEMPLATES, ...args]);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toContain(message);
    expect(existsSync(dataDir)).toBe(false);
  }

  it('a non-loopback host without TLS (the allowed cases are unit-tested in check-plain-http-bind)', async () => {
    await refused(['--host', '0.0.0.0'], 77, 'Cannot serve plain HTTP on --host 0.0.0.0');
    await refused(['--host', '::'], 77, 'Cannot serve plain HTTP on --host ::');
  });

  it('--insecure-http lets a non-loopback host past the check (a data dir that is a file stops it right after, before listening)', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const result = await cli(['serve', '--data-dir', file, '--port', '0', '--templates', TEMPLATES, '--host', '0.0.0.0', '--insecure-http']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).not.toContain('Cannot serve plain HTTP');
    expect(result.stderr).toMatch(/EEXIST|ENOTDIR|not-a-dir/);
  });

  it('--tls-cert without --tls-key, and the reverse', async () => {
    await refused(['--tls-cert', cert.certFile], 64, 'Cannot serve HTTPS with --tls-cert alone: pass --tls-key FILE too');
    await refused(['--tls-key', cert.keyFile, '--host', '0.0.0.0'], 64, 'Cannot serve HTTPS with --tls-key alone: pass --tls-cert FILE too');
  });

  it('a missing or non-PEM certificate or key file, named', async () => {
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello\n');
    await refused(['--tls-cert', join(dir, 'missing.crt'), '--tls-key', cert.keyFile], 66, `Cannot read TLS certificate file ${join(dir, 'missing.crt')}: no such file`);
    await refused(['--tls-cert', cert.certFile, '--tls-key', join(dir, 'missing.key')], 66, `Cannot read TLS key file ${join(dir, 'missing.key')}: no such file`);
    await refused(['--tls-cert', junk, '--tls-key', cert.keyFile], 65, `Cannot read TLS certificate file ${junk} as PEM`);
    await refused(['--tls-cert', cert.certFile, '--tls-key', junk], 65, `Cannot read TLS key file ${junk} as PEM`);
  });

  it("a key that is not the certificate's, an expired certificate and one not yet valid", async () => {
    const other = await makeTestCertificate(dir, { name: 'other' });
    await refused(['--tls-cert', cert.certFile, '--tls-key', other.keyFile], 65, `Cannot use TLS key file ${other.keyFile} with certificate file ${cert.certFile}: the key is not the certificate's private key`);
    const expired = await makeTestCertificate(dir, { name: 'expired', notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
    await refused(['--tls-cert', expired.certFile, '--tls-key', expired.keyFile], 65, `Cannot use TLS certificate file ${expired.certFile}: it expired on`);
    const future = await makeTestCertificate(dir, { name: 'future', notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 10 * day) });
    await refused(['--tls-cert', future.certFile, '--tls-key', future.keyFile], 65, `Cannot use TLS certificate file ${future.certFile}: it is not valid before`);
  });

  it('startServer itself refuses the same way, with no data dir left behind', async () => {
    const dataDir = join(dir, 'data-direct');
    await expect(startServer({ dataDir, templatesDir: TEMPLATES, port: 0, host: '0.0.0.0', ...quiet })).rejects.toMatchObject({ code: 'refused' });
    await expect(startServer({ dataDir, templatesDir: TEMPLATES, port: 0, tls: { certFile: join(dir, 'missing.crt'), keyFile: cert.keyFile }, ...quiet })).rejects.toMatchObject({ code: 'not_found' });
    expect(existsSync(dataDir)).toBe(false);
  });
});
