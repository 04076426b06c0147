import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/run-cleanroom.js';
import { makeTestCertificate } from '../../../test/helpers/test-certificate.js';
import { loadTlsFiles } from './load-tls-files.js';

describe('loadTlsFiles', () => {
  it('returns the PEM certificate and key and when the certificate expires', async () => {
    const dir = tempDir('cleanroom-tls-');
    const made = await makeTestCertificate(dir);
    const tls = await loadTlsFiles({ certFile: made.certFile, keyFile: made.keyFile });
    expect(tls.cert).toBe(made.cert);
    expect(tls.key).toBe(made.key);
    expect(tls.validTo.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a missing file, naming it', async () => {
    const dir = tempDir('cleanroom-tls-');
    const made = await makeTestCertificate(dir);
    const missing = join(dir, 'nope.crt');
    await expect(loadTlsFiles({ certFile: missing, keyFile: made.keyFile })).rejects.toMatchObject({ code: 'not_found', message: `Cannot read TLS certificate file ${missing}: no such file` });
    await expect(loadTlsFiles({ certFile: made.certFile, keyFile: join(dir, 'nope.key') })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(`TLS key file ${join(dir, 'nope.key')}: no such file`) });
  });

  it('refuses a file that is not PEM, or the wrong kind of PEM, naming it', async () => {
    const dir = tempDir('cleanroom-tls-');
    const made = await makeTestCertificate(dir);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    await expect(loadTlsFiles({ certFile: junk, keyFile: made.keyFile })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`Cannot read TLS certificate file ${junk} as PEM`) });
    await expect(loadTlsFiles({ certFile: made.certFile, keyFile: junk })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`Cannot read TLS key file ${junk} as PEM`) });
    // Cert and key swapped.
    await expect(loadTlsFiles({ certFile: made.keyFile, keyFile: made.certFile })).rejects.toMatchObject({ message: expect.stringContaining(made.keyFile) });
    const broken = join(dir, 'broken.crt');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(loadTlsFiles({ certFile: broken, keyFile: made.keyFile })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`Cannot read TLS certificate file ${broken} as a PEM certificate`) });
  });

  it("refuses a key that is not the certificate's", async () => {
    const dir = tempDir('cleanroom-tls-');
    const one = await makeTestCertificate(dir, { name: 'one' });
    const other = await makeTestCertificate(dir, { name: 'other' });
    await expect(loadTlsFiles({ certFile: one.certFile, keyFile: other.keyFile })).rejects.toMatchObject({
      code: 'invalid_input',
      message: `Cannot use TLS key file ${other.keyFile} with certificate file ${one.certFile}: the key is not the certificate's private key`,
    });
  });

  it('refuses an expired certificate and one not yet valid', async () => {
    const dir = tempDir('cleanroom-tls-');
    const day = 86_400_000;
    const expired = await makeTestCertificate(dir, { name: 'expired', notBefore: new Date(Date.now() - 10 * day), notAfter: new Date(Date.now() - day) });
    await expect(loadTlsFiles({ certFile: expired.certFile, keyFile: expired.keyFile })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(new RegExp(`^Cannot use TLS certificate file ${expired.certFile}: it expired on `)) });
    const future = await makeTestCertificate(dir, { name: 'future', notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 10 * day) });
    await expect(loadTlsFiles({ certFile: future.certFile, keyFile: future.keyFile })).rejects.toMatchObject({ message: expect.stringContaining(`${future.certFile}: it is not valid before `) });
  });
});
