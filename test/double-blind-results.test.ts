import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blindReady, formatBlindKey, newBlindKey, toHex } from '../src/core/identity/blind/index.js';
import type { BlindKey } from '../src/core/identity/blind/index.js';
import { answerBatch, batchFor, blindAnswer, doublesBySingle, keyCheck, readSingles, replaceSingles, startExchange, waitingBatches } from '../src/core/identity/blind/exchange/index.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { actor, roomHarness } from './helpers/room-harness.js';
import { twoPartyFiles } from './helpers/two-party-data.js';

// Step 3's last stage without the HTTP exchange (not built yet): both sides prepare with
// --hash blind, the second blinding runs through the core exchange (batches of 64 with
// canaries), the doubles replace the singles, and the room re-keys and matches them as it
// does hashed uploads. The overlap must be the hashed mode's, table for table.
const insurer = actor('p_insurer');
const partner = actor('p_partner');
const COLUMNS = ['email', 'phone', 'first_name', 'last_name', 'zip'];

describe('a double-blind overlap equals the hashed one on the same data', () => {
  let h: Awaited<ReturnType<typeof roomHarness>>;
  let files: Awaited<ReturnType<typeof twoPartyFiles>>;
  beforeAll(async () => {
    await blindReady();
    h = await roomHarness();
    files = await twoPartyFiles(h.dir, { aOnly: 200, bOnly: 150, byEmail: 150, byPhone: 120, byNameZip: 110 }, {
      aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }),
      bColumns: () => ({ plan: 'basic' }),
    });
  });
  afterAll(async () => h.close());

  async function overlap(a: string, b: string) {
    // Without the ready template's noisy threshold, so that two runs can be compared exactly.
    const { noisyThreshold: _noise, ...privacy } = h.template('audience-overlap').privacy;
    const template = { ...h.template('audience-overlap'), privacy };
    const c = await h.room.createCollaboration(insurer, { name: 'x', template, members: { insurer: insurer.party, partner: partner.party } });
    for (const p of [insurer, partner]) await h.room.attest(p, c.id, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    await h.room.upload(insurer, c.id, 'policyholders', a);
    await h.room.upload(partner, c.id, 'partner_customers', b);
    return h.room.run(insurer, c.id, 'overlap', {});
  }

  async function doublyBlinded(raw: string, own: BlindKey, other: BlindKey, name: string): Promise<{ path: string; singles: string }> {
    const singlesPath = join(h.dir, `${name}.singles.csv`);
    await prepareFile({ input: raw, output: singlesPath, workers: 0, dedupe: false, hash: 'blind', key: new TextEncoder().encode(formatBlindKey(own)) });
    const text = readFileSync(singlesPath, 'utf8');
    const read = readSingles(text, { columns: COLUMNS, file: name });
    expect(read.problems).toEqual([]);
    const started = startExchange(read.singles, { ref: { collaboration: 'c_x', dataset: name, version: 1 }, owner: name, blinder: 'other', batchSize: 64 });
    let state = started.state;
    const doubles: string[][] = [];
    for (const index of waitingBatches(state)) {
      const built = batchFor(state, index, started.slices[index]!, toHex(keyCheck(other)));
      const answered = answerBatch(built.state, index, blindAnswer(built.batch, other));
      state = answered.state;
      doubles[index] = answered.doubles!;
    }
    const path = join(h.dir, `${name}.doubles.csv`);
    writeFileSync(path, replaceSingles(text, { columns: COLUMNS, doubles: doublesBySingle(state, started.slices, doubles) }));
    return { path, singles: text };
  }

  it('releases the same tables, and no single or digest reaches the room', async () => {
    const hashed = await overlap(files.a, files.b);
    const [ka, kb] = [newBlindKey(), newBlindKey()];
    const a = await doublyBlinded(join(h.dir, 'a.raw.csv'), ka, kb, 'policyholders');
    const b = await doublyBlinded(join(h.dir, 'b.raw.csv'), kb, ka, 'partner_customers');
    const blinded = await overlap(a.path, b.path);
    expect(blinded.status).toBe('released');
    expect(blinded.result!.tables).toEqual(hashed.result!.tables);
    expect(blinded.result!.tables.overall!.rows[0]!.people).toBe(files.truth.matched);
    // What the room loads shares no identifier cell with the singles or the SHA-256 files.
    const cells = (path: string) => new Set(readFileSync(path, 'utf8').split('\n').slice(1).flatMap((l) => l.split(',').slice(0, 5)).filter((v) => v.length === 64));
    const loaded = new Set([...cells(a.path), ...cells(b.path)]);
    for (const other of [cells(files.a), cells(files.b), new Set(a.singles.split(/[\n,]/)), new Set(b.singles.split(/[\n,]/))]) {
      expect([...other].filter((v) => loaded.has(v))).toEqual([]);
    }
  });
});
