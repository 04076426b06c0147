import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './is-loopback-host.js';

describe('isLoopbackHost', () => {
  it('takes localhost, 127.0.0.0/8 and ::1 (bracketed and IPv4-mapped forms too)', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
  });

  it('refuses every other address and name, the wildcard ones first', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.1', '192.168.1.10', '128.0.0.1', 'fe80::1', 'example.com', 'localhost.example.com', '']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
