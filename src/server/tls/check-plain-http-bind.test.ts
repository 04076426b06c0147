import { describe, expect, it } from 'vitest';
import { checkPlainHttpBind } from './check-plain-http-bind.js';

describe('checkPlainHttpBind', () => {
  it('lets plain HTTP listen on loopback', () => {
    expect(() => checkPlainHttpBind('127.0.0.1', { tls: false })).not.toThrow();
    expect(() => checkPlainHttpBind('localhost', { tls: false })).not.toThrow();
  });

  it('refuses plain HTTP on a non-loopback host, naming the host and the ways out', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      expect(() => checkPlainHttpBind(host, { tls: false })).toThrow(expect.objectContaining({ code: 'refused', message: expect.stringContaining(`Cannot serve plain HTTP on --host ${host}`) }));
    }
    expect(() => checkPlainHttpBind('0.0.0.0', { tls: false })).toThrow(/--tls-cert FILE --tls-key FILE.*--insecure-http/);
  });

  it('allows a non-loopback host with TLS, or with an explicit insecureHttp', () => {
    expect(() => checkPlainHttpBind('0.0.0.0', { tls: true })).not.toThrow();
    expect(() => checkPlainHttpBind('0.0.0.0', { tls: false, insecureHttp: true })).not.toThrow();
  });
});
