import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/** A self-signed certificate for localhost / 127.0.0.1 and its key, as PEM and as files. */
export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * Makes a self-signed P-256 certificate for localhost and 127.0.0.1 (or `dnsNames`), valid
 * from a minute ago for a day unless told otherwise, and writes `<name>.crt` / `<name>.key` into `dir`.
 */
export async function makeTestCertificate(dir: string, options: { name?: string; notBefore?: Date; notAfter?: Date; dnsNames?: readonly string[] } = {}): Promise<TestCertificate> {
  const { name = 'server', notBefore = new Date(Date.now() - 60_000), notAfter = new Date(Date.now() + 86_400_000), dnsNames } = options;
  const altNames = dnsNames === undefined ? [{ type: 'dns' as const, value: 'localhost' }, { type: 'ip' as const, value: '127.0.0.1' }] : dnsNames.map((value) => ({ type: 'dns' as const, value }));
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Date.now().toString(16),
    name: 'CN=localhost',
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys,
    extensions: [new x509.SubjectAlternativeNameExtension(altNames)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const cert = certificate.toString('pem');
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(certFile, cert);
  writeFileSync(keyFile, key, { mode: 0o600 });
  return { cert, key, certFile, keyFile };
}
