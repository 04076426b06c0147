import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CleanRoomError } from '../../core/errors.js';

/** The certificate (with its chain) and private key files of an HTTPS server. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A checked certificate and key, as PEM text for `tls.createServer`. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** When the leaf certificate expires. */
  validTo: Date;
}

/**
 * Reads and checks an HTTPS server's PEM certificate and key before anything else starts:
 * both files exist and hold PEM, the key is the certificate's, and the certificate is valid
 * at `now`. Each failure names the file and why.
 *
 * @example
 * ```ts
 * const tls = await loadTlsFiles({ certFile: 'server.crt', keyFile: 'server.key' });
 * createSecureServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
 * ```
 */
export async function loadTlsFiles(files: TlsFiles, options: { now?: Date } = {}): Promise<TlsMaterial> {
  const { now = new Date() } = options;
  const cert = await readPem(files.certFile, 'tls-cert', 'CERTIFICATE');
  const key = await readPem(files.keyFile, 'tls-key', 'PRIVATE KEY');
  const x509 = parseCertificate(files.certFile, cert);
  const privateKey = parseKey(files.keyFile, key);
  if (!x509.checkPrivateKey(privateKey)) {
    throw new CleanRoomError('invalid_input', `Cannot use TLS key file ${files.keyFile} with certificate file ${files.certFile}: the key is not the certificate's private key`, {
      details: { field: 'tls-key', file: files.keyFile, certFile: files.certFile },
    });
  }
  const validFrom = new Date(x509.validFrom);
  const validTo = new Date(x509.validTo);
  if (now < validFrom || now > validTo) {
    const why = now > validTo ? `it expired on ${validTo.toISOString()}` : `it is not valid before ${validFrom.toISOString()}`;
    throw new CleanRoomError('invalid_input', `Cannot use TLS certificate file ${files.certFile}: ${why} (now is ${now.toISOString()})`, {
      details: { field: 'tls-cert', file: files.certFile, validFrom: validFrom.toISOString(), validTo: validTo.toISOString() },
    });
  }
  return { cert, key, validTo };
}

async function readPem(file: string, field: string, label: string): Promise<string> {
  const what = field === 'tls-cert' ? 'TLS certificate file' : 'TLS key file';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CleanRoomError(code === 'ENOENT' ? 'not_found' : 'io_error', `Cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { details: { field, file } });
  }
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY" blocks.
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new CleanRoomError('invalid_input', `Cannot read ${what} ${file} as PEM: no "-----BEGIN ${label}-----" block found`, { details: { field, file } });
  }
  return text;
}

function parseCertificate(file: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new CleanRoomError('invalid_input', `Cannot read TLS certificate file ${file} as a PEM certificate: ${(error as Error).message}`, { details: { field: 'tls-cert', file } });
  }
}

function parseKey(file: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem);
    throw new CleanRoomError('invalid_input', `Cannot read TLS key file ${file} as a PEM private key: ${encrypted ? 'the key is encrypted; give an unencrypted key' : (error as Error).message}`, {
      details: { field: 'tls-key', file },
    });
  }
}
