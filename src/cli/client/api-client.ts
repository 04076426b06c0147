import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { CleanRoomError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';

/** Codes only the HTTP edge uses, mapped to the core code that sets the CLI's exit code. */
const EDGE_CODES: Readonly<Record<string, ErrorCode>> = Object.freeze({ unauthorized: 'forbidden', too_large: 'invalid_input', rate_limited: 'timeout' });
const CORE_CODES = new Set<string>(['invalid_input', 'invalid_argument', 'not_found', 'io_error', 'refused', 'forbidden', 'conflict', 'timeout', 'internal']);

const UNTRUSTED = " (the server's TLS certificate is not trusted: pass --ca-file FILE, or set CLEANROOM_CA_FILE, with the CA that signed it or the server's self-signed certificate)";
const OUT_OF_DATE = " (the server's TLS certificate is outside its validity period: the server's operator must renew it)";

/** What to do about each OpenSSL / Node code for a server certificate this client refuses. */
const CERTIFICATE_HINTS: Readonly<Record<string, string>> = Object.freeze({
  DEPTH_ZERO_SELF_SIGNED_CERT: UNTRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  CERT_UNTRUSTED: UNTRUSTED,
  CERT_HAS_EXPIRED: OUT_OF_DATE,
  CERT_NOT_YET_VALID: OUT_OF_DATE,
  ERR_TLS_CERT_ALTNAME_INVALID: " (the server's TLS certificate does not name this host: use a host name the certificate lists in --server)",
});

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  server: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

/**
 * The cleanroom HTTP API from Node: JSON in and out, the key as a bearer token, and every
 * error answer turned into a CleanRoomError carrying the server's code and message.
 *
 * @example
 * ```ts
 * const client = new ApiClient({ server: 'http://127.0.0.1:8080', apiKey });
 * const { collaborations } = await client.json<{ collaborations: unknown[] }>('GET', '/v1/collaborations');
 * ```
 */
export class ApiClient {
  readonly #server: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.#server = options.server.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
  }

  /** A JSON request; the parsed JSON answer. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return (await res.json()) as T;
  }

  /** A DELETE whose answer has no body (204). */
  async delete(path: string): Promise<void> {
    await this.#send('DELETE', path, {});
  }

  /** A GET whose answer is text (CSV). */
  async text(path: string): Promise<string> {
    return (await this.#send('GET', path, {})).text();
  }

  /** Streams a file as a PUT body, gzipped on the way when asked. */
  async putFile<T>(path: string, file: string, options: { gzip?: boolean; headers?: Record<string, string> } = {}): Promise<T> {
    const source = createReadStream(file);
    const stream = options.gzip === true ? source.pipe(createGzip()) : source;
    const headers: Record<string, string> = { 'content-type': 'text/csv', ...(options.gzip === true ? { 'content-encoding': 'gzip' } : {}), ...options.headers };
    const res = await this.#send('PUT', path, { body: Readable.toWeb(stream) as ReadableStream, headers });
    return (await res.json()) as T;
  }

  async #send(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> }): Promise<Response> {
    const url = `${this.#server}${path}`;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method,
        headers: { ...(this.#apiKey !== undefined ? { authorization: `Bearer ${this.#apiKey}` } : {}), ...init.headers },
        ...(init.body !== undefined ? { body: init.body, duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as NodeJS.ErrnoException) : undefined;
      const hint = cause?.code !== undefined ? (CERTIFICATE_HINTS[cause.code] ?? '') : '';
      throw new CleanRoomError('io_error', `Cannot reach the cleanroom server at ${this.#server}: ${cause?.message ?? (error as Error).message}${hint}`, {
        details: { server: this.#server, ...(cause?.code !== undefined ? { cause: cause.code } : {}) },
      });
    }
    if (res.ok) return res;
    throw await errorFrom(res, `${method} ${path}`);
  }
}

async function errorFrom(res: Response, what: string): Promise<CleanRoomError> {
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not our error body (a proxy's page): the status alone decides.
  }
  const apiCode = body.error?.code ?? (res.status === 404 ? 'not_found' : res.status >= 500 ? 'internal' : 'invalid_argument');
  const code: ErrorCode = CORE_CODES.has(apiCode) ? (apiCode as ErrorCode) : (EDGE_CODES[apiCode] ?? 'internal');
  const message = body.error?.message ?? `Cannot ${what}: the server answered ${res.status}`;
  return new CleanRoomError(code, message, { details: { ...body.error?.details, status: res.status, apiCode } });
}
