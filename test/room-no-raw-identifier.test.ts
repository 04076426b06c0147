import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { actor, roomHarness } from './helpers/room-harness.js';

const team = actor('p_team');
const rideshare = actor('p_rideshare');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('security invariant 4: the server never persists a raw identifier', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  beforeAll(async () => {
    h = await roomHarness();
  });
  afterAll(async () => h.close());

  it('hashes a raw upload as it streams in: the room stores only keyed hashes, and no other file holds a raw email or phone', async () => {
    const c = await h.room.createCollaboration(rideshare, { name: 'fans', template: h.template('audience-activation'), members: { team: team.party, rideshare: rideshare.party } });
    for (const p of [team, rideshare]) await h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const fans = ['email,phone,fan_tier', ...Array.from({ length: 300 }, (_, i) => `Zebra.Fan${i}@Stadium.example,(212) 555-${String(1000 + i)},member`)];
    const riders = ['customer_id,email,phone', ...Array.from({ length: 300 }, (_, i) => `RIDERKEY-${i}-OWN,zebra.fan${i}@stadium.example,`)];
    // Streamed in small pieces, as an HTTP body arrives.
    const stream = (lines: string[]) => Readable.from(lines.map((l) => Buffer.from(`${l}\n`)));
    await h.room.upload(team, c.id, 'fans', stream(fans));
    await h.room.upload(rideshare, c.id, 'riders', stream(riders));
    const run = await h.room.run(rideshare, c.id, 'fan_riders', {});
    expect(run.result!.audience!.people).toBe(300);
    await h.close();
    // What the room stores, read back through the engine: identifiers only as 64-hex keyed hashes.
    const engine = createDuckDbEngine({ dataDir: h.dataDir, masterKey: h.masterKey, encryption: 'off' });
    const room = await engine.openRoom(c.id);
    const check = await room.query(
      `SELECT (SELECT count(*) FROM fans WHERE NOT regexp_full_match(email, '[0-9a-f]{64}') OR NOT regexp_full_match(phone, '[0-9a-f]{64}')) AS bad_fans,
              (SELECT count(*) FROM riders WHERE NOT regexp_full_match(email, '[0-9a-f]{64}')) AS bad_riders,
              (SELECT count(*) FROM fans) AS fans, (SELECT min(customer_id) FROM riders) AS own_key`,
    );
    expect(check.rows[0]).toEqual({ bad_fans: 0, bad_riders: 0, fans: 300, own_key: 'RIDERKEY-0-OWN' });
    await engine.close();
    // Every other file (audit log, wrapped keys, staging): no raw identifier in the bytes.
    const files = filesUnder(h.dataDir).filter((f) => !/\.duckdb(\.wal)?$/.test(f));
    expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1').toLowerCase();
      expect(bytes, file).not.toContain('stadium.example');
      expect(bytes, file).not.toContain('2125551000');
    }
    // The staging area is empty once the loads are done.
    expect(readdirSync(join(h.dir, 'data', 'incoming'))).toEqual([]);
  });
});
