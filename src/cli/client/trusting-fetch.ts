import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A `fetch` that trusts one more CA (or a self-signed server certificate) besides Node's
 * bundled roots, for `--ca-file`. Certificates are still verified: the server's must chain
 * to a trusted root and name the host.
 *
 * @example
 * ```ts
 * const client = new ApiClient({ server: 'https://room.example:8443', apiKey, fetch: trustingFetch(caPem) });
 * ```
 */
export function trustingFetch(caPem: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  return ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}
