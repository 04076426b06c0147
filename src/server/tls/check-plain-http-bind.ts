import { CleanRoomError } from '../../core/errors.js';
import { isLoopbackHost } from './is-loopback-host.js';

/** Options of {@link checkPlainHttpBind}. */
export interface PlainHttpBindOptions {
  /** The server has a certificate and key: it speaks HTTPS. */
  tls: boolean;
  /** The operator asked for plain HTTP off loopback anyway (`--insecure-http`). */
  insecureHttp?: boolean;
}

/**
 * Refuses to serve plain HTTP on an address other machines may reach: API keys and results
 * would cross the network in clear. Loopback, TLS, or an explicit `insecureHttp` pass.
 *
 * @example
 * ```ts
 * checkPlainHttpBind('127.0.0.1', { tls: false }); // passes
 * checkPlainHttpBind('0.0.0.0', { tls: false }); // throws CleanRoomError('refused', ...)
 * checkPlainHttpBind('0.0.0.0', { tls: false, insecureHttp: true }); // passes
 * ```
 */
export function checkPlainHttpBind(host: string, options: PlainHttpBindOptions): void {
  const { tls, insecureHttp = false } = options;
  if (tls || insecureHttp || isLoopbackHost(host)) return;
  throw new CleanRoomError(
    'refused',
    `Cannot serve plain HTTP on --host ${host}: it is not a loopback address, so API keys and results would cross the network unencrypted. Pass --tls-cert FILE --tls-key FILE, bind 127.0.0.1, or pass --insecure-http if a TLS proxy in front of this host encrypts the traffic`,
    { details: { field: 'host', host } },
  );
}
