import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCleanroom, tempDir } from './helpers/run-cleanroom.js';

describe('cleanroom demo (npm start)', () => {
  it('prepares a messy file, starts a server on 127.0.0.1, seeds four parties through the API, and prints their keys', async () => {
    const dir = join(tempDir(), 'demo');
    const r = await runCleanroom(['demo', '--dir', dir, '--rows', '3000', '--people', '4000', '--port', '0', '--exit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('rows written');
    expect(r.stdout).toContain('"John.Smith@GMAIL.com "  -> johnsmith@gmail.com');
    expect(r.stdout).toMatch(/attribution collaboration c_\w+: uploaded, overlap and attribution run/);
    expect(r.stdout).toMatch(/lift collaboration c_\w+: uploaded, lift run/);
    // The identity partner's gain: more people matched with its graph than without it.
    const partner = r.stdout.match(/identity partner collaboration c_\w+: matched without the graph: email ([\d,]+); with it: email ([\d,]+), graph ([\d,]+)/);
    expect(partner, r.stdout).not.toBeNull();
    expect(partner![2]).toBe(partner![1]);
    expect(Number(partner![3]!.replace(/,/g, ''))).toBeGreaterThan(100);
    // Overlap 0.3 + spend by segment 0.5 + custom SQL 1 by the retailer; the pre-approved query 0.5 by the publisher.
    expect(r.stdout).toMatch(/DP collaboration c_\w+: .* \(ε left: 7\.70 of the collaboration's, 4\.20 of the retailer's\)/);
    expect(r.stdout).toMatch(/cleanroom is running at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout.match(/ crk_k[0-9a-f]+_[\w-]+/g)).toHaveLength(5);
  });
});
