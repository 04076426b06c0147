import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blind, blindReady, fromHex, hashToGroup, newBlindKey, toHex } from '../../src/core/identity/blind/index.js';
import type { BlindKey } from '../../src/core/identity/blind/index.js';
import { blindAnswer, keyCheck } from '../../src/core/identity/blind/exchange/index.js';
import type { BlindBatch } from '../../src/core/identity/blind/exchange/index.js';
import { prepareFile } from '../../src/node/prepare/prepare-file.js';
import { blindPrepare, syncOverHttp } from '../helpers/double-blind-flow.js';
import { twoPartyFiles } from '../helpers/two-party-data.js';
import { errorOf, serverHarness } from './server-harness.js';
import type { ServerHarness } from './server-harness.js';

type Party = { id: string; apiKey: string };
type Collab = { id: string; templateDigest: string; template: { terms: { version: string }; identity: { hashing: string } } };
type Status = { keyCheckRegistered: boolean; toBlind: { dataset: string; upload: number; owner: string; batches: number; waiting: number[] }[]; mine: { dataset: string; upload: number; waiting: number }[] };
type Run = { status: string; result: { tables: Record<string, { rows: Record<string, unknown>[] }> } | null };

const COLUMNS = ['email', 'phone', 'first_name', 'last_name', 'zip'];
const BATCH = 64;

// Issue 13 through the HTTP API: an insurer and a partner in `audience-overlap` created with
// hashing double-blind. Each prepares with its own blind key, uploads with its key check, and
// blinds the other's batches a second time; the room loads each upload when its last batch is
// answered. Every value an attacker could test a guess against is searched for in the data
// directory, the logs and every response.
describe('double-blind matching over HTTP', () => {
  let h: ServerHarness;
  let insurer: Party;
  let partner: Party;
  let stranger: Party;
  let c: Collab;
  let keyA: BlindKey;
  let keyB: BlindKey;
  let files: Awaited<ReturnType<typeof twoPartyFiles>>;
  const prepared: Record<'a' | 'b', { blinded: string; digests: string[] }> = { a: { blinded: '', digests: [] }, b: { blinded: '', digests: [] } };
  /** Every response body any party received, for the search at the end. */
  const seen: string[] = [];

  const call = async (method: string, path: string, options: Parameters<ServerHarness['call']>[2] = {}) => {
    const res = await h.call(method, path, options);
    seen.push(await res.clone().text());
    return res;
  };
  const json = async <T>(res: Response, status = 200): Promise<T> => {
    expect(res.status, await res.clone().text()).toBe(status);
    return (await res.json()) as T;
  };
  const base = () => `/v1/collaborations/${c.id}`;
  const hex = (key: BlindKey) => toHex(keyCheck(key));

  async function prepare(raw: string, key: BlindKey, name: string): Promise<{ blinded: string; digests: string[] }> {
    const blinded = join(h.dir, `${name}.blinded.csv`);
    const hashed = join(h.dir, `${name}.sha256.csv`);
    await blindPrepare(raw, blinded, key);
    await prepareFile({ input: raw, output: hashed, workers: 0, dedupe: false });
    const lines = readFileSync(hashed, 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const at = COLUMNS.map((col) => header.indexOf(col));
    const digests = lines.slice(1).flatMap((line) => at.map((i) => line.split(',')[i]!)).filter((v) => /^[0-9a-f]{64}$/.test(v));
    return { blinded, digests: [...new Set(digests)] };
  }

  const upload = (p: Party, dataset: string, file: string, headers: Record<string, string> = {}) =>
    call('PUT', `${base()}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(file), headers: { 'content-type': 'text/csv', ...headers } });

  const syncAs = async (p: Party, key: BlindKey) => ({ loaded: await syncOverHttp(call, base(), p.apiKey, key) });

  const run = async (p: Party, collaboration: string): Promise<Run> => {
    const res = await call('POST', `/v1/collaborations/${collaboration}/runs`, { key: p.apiKey, json: { analysis: 'overlap', params: {} } });
    return json<Run>(res, 201);
  };

  async function collaboration(hashing?: string): Promise<Collab> {
    const res = await call('POST', '/v1/collaborations', {
      key: insurer.apiKey,
      json: { name: 'db', template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id }, ...(hashing === undefined ? {} : { hashing }) },
    });
    const created = await json<Collab>(res, 201);
    for (const p of [insurer, partner]) await json(await call('POST', `/v1/collaborations/${created.id}/attestations`, { key: p.apiKey, json: { termsVersion: created.template.terms.version, templateDigest: created.templateDigest } }), 201);
    return created;
  }

  beforeAll(async () => {
    await blindReady();
    h = await serverHarness({ blindBatchSize: BATCH });
    [insurer, partner, stranger] = [await h.party('Insurer'), await h.party('Partner'), await h.party('Stranger')];
    [keyA, keyB] = [newBlindKey(), newBlindKey()];
    files = await twoPartyFiles(h.dir, { aOnly: 120, bOnly: 90, byEmail: 130, byPhone: 125, byNameZip: 120 }, { aColumns: (i) => ({ policy_type: i % 2 === 0 ? 'home' : 'auto' }), bColumns: () => ({ plan: 'basic' }) });
    prepared.a = await prepare(files.a, keyA, 'a');
    prepared.b = await prepare(files.b, keyB, 'b');
    c = await collaboration('double-blind');
  });
  afterAll(async () => h.close());

  it('creates a double-blind collaboration from a ready template, refused for a template of three identity parties', async () => {
    expect(c.template.identity.hashing).toBe('double-blind');
    const res = await call('POST', '/v1/collaborations', {
      key: insurer.apiKey,
      json: { name: 'x', template: 'identity-partner-attribution', members: { publisher: insurer.id, retailer: partner.id, identity_partner: stranger.id }, hashing: 'double-blind' },
    });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).message).toContain('exactly two roles');
  });

  it('takes an upload only with a valid key check and valid blinded cells, refusing the rest whole', async () => {
    const none = await upload(insurer, 'policyholders', prepared.a.blinded);
    expect(none.status).toBe(400);
    expect((await errorOf(none)).details.field).toBe('key-check');
    const badCheck = await upload(insurer, 'policyholders', prepared.a.blinded, { 'x-cleanroom-key-check': 'ff'.repeat(32) });
    expect(badCheck.status).toBe(400);
    // A file of plain SHA-256 digests is refused, naming the first bad cell.
    const digestsFile = join(h.dir, 'a.sha256.csv');
    const digests = await upload(insurer, 'policyholders', digestsFile, { 'x-cleanroom-key-check': hex(keyA) });
    expect(digests.status).toBe(400);
    const problem = await errorOf(digests);
    expect(problem.message).toMatch(/line \d+, column \d+ \(\w+\) is not a blinded identifier/);
    expect(problem.details.line).toBeGreaterThan(1);
    expect(await json<Status>(await call('GET', `${base()}/blind`, { key: partner.apiKey }))).toMatchObject({ toBlind: [] });
    // The stranger is not a member: as for a missing collaboration.
    expect((await upload(stranger, 'policyholders', prepared.a.blinded, { 'x-cleanroom-key-check': hex(keyA) })).status).toBe(404);
  });

  it('keeps a good upload waiting for the other party, and only that party may fetch its batches', async () => {
    const pending = await json<{ status: string; upload: number; batches: number; singles: number }>(await upload(insurer, 'policyholders', prepared.a.blinded, { 'x-cleanroom-key-check': hex(keyA) }), 202);
    expect(pending).toMatchObject({ status: 'awaiting_blinding', upload: 1 });
    expect(pending.batches).toBe(Math.ceil(pending.singles / BATCH));
    const status = await json<Status>(await call('GET', `${base()}/blind`, { key: partner.apiKey }));
    expect(status.toBlind).toEqual([{ dataset: 'policyholders', upload: 1, owner: insurer.id, batches: pending.batches, waiting: [...Array(pending.batches).keys()] }]);
    expect((await json<Status>(await call('GET', `${base()}/blind`, { key: insurer.apiKey }))).mine).toMatchObject([{ dataset: 'policyholders', upload: 1, waiting: pending.batches }]);
    const path = `${base()}/blind/policyholders/1/0`;
    // Before the partner registers its key check, no batch can be built for it.
    expect((await call('GET', path, { key: partner.apiKey })).status).toBe(409);
    expect((await call('GET', path, { key: insurer.apiKey })).status).toBe(404);
    expect((await call('GET', path, { key: stranger.apiKey })).status).toBe(404);
    // The insurer's key check cannot be swapped for another key.
    expect((await call('PUT', `${base()}/blind/key-check`, { key: insurer.apiKey, json: { keyCheck: hex(newBlindKey()) } })).status).toBe(409);
  });

  it('refuses a second blinding with another key, a truncated answer and a replay onto another batch, keeping the batch waiting', async () => {
    await json(await call('PUT', `${base()}/blind/key-check`, { key: partner.apiKey, json: { keyCheck: hex(keyB) } }));
    const path = (i: number) => `${base()}/blind/policyholders/1/${i}`;
    const batch0 = await json<BlindBatch>(await call('GET', path(0), { key: partner.apiKey }));
    expect(await json<BlindBatch>(await call('GET', path(0), { key: partner.apiKey }))).toEqual(batch0);
    const other = await call('PUT', path(0), { key: partner.apiKey, json: blindAnswer(batch0, newBlindKey()) });
    expect(other.status).toBe(403);
    const answer = blindAnswer(batch0, keyB);
    const truncated = await call('PUT', path(0), { key: partner.apiKey, json: { ...answer, elements: answer.elements.slice(1) } });
    expect(truncated.status).toBe(400);
    await json<BlindBatch>(await call('GET', path(1), { key: partner.apiKey }));
    expect((await call('PUT', path(1), { key: partner.apiKey, json: answer })).status).toBe(409);
    const invalid = await call('PUT', path(0), { key: partner.apiKey, json: { ...answer, elements: answer.elements.map((e, i) => (i === 3 ? 'ff'.repeat(32) : e)) } });
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).message).toContain('item 3');
    // Reordered: a canary moves (two canaries in a batch of 66, a full reversal always).
    expect((await call('PUT', path(0), { key: partner.apiKey, json: { ...answer, elements: [...answer.elements].reverse() } })).status).toBe(403);
    expect((await json<Status>(await call('GET', `${base()}/blind`, { key: partner.apiKey }))).toBlind[0]!.waiting).toContain(0);
    expect(await json<{ waiting: number }>(await call('PUT', path(0), { key: partner.apiKey, json: answer }))).toMatchObject({ waiting: expect.any(Number) });
    // The same answer again (a retry after a lost response) changes nothing.
    expect((await call('PUT', path(0), { key: partner.apiKey, json: answer })).status).toBe(200);
    const audit = await json<{ events: { action: string; decision: string }[] }>(await call('GET', `${base()}/audit`, { key: insurer.apiKey }));
    const answers = audit.events.filter((e) => e.action === 'blind_answer').map((e) => e.decision);
    expect(answers).toEqual(['refused', 'rejected', 'rejected', 'rejected', 'refused', 'accepted']);
  });

  it('loads each upload when its last batch is answered, and the overlap equals the hashed mode\'s', async () => {
    const first = await syncAs(partner, keyB);
    expect(first.loaded).toHaveLength(1);
    await json(await upload(partner, 'partner_customers', prepared.b.blinded, { 'x-cleanroom-key-check': hex(keyB) }), 202);
    expect((await syncAs(insurer, keyA)).loaded).toHaveLength(1);
    const doubleBlind = await run(insurer, c.id);
    expect(doubleBlind.status).toBe('released');
    const hashed = await collaboration();
    for (const [p, dataset, file] of [[insurer, 'policyholders', join(h.dir, 'a.sha256.csv')], [partner, 'partner_customers', join(h.dir, 'b.sha256.csv')]] as const) {
      await json(await call('PUT', `/v1/collaborations/${hashed.id}/datasets/${dataset}`, { key: p.apiKey, body: readFileSync(file), headers: { 'content-type': 'text/csv' } }), 201);
    }
    const plain = await run(insurer, hashed.id);
    // Every count is above the noisy threshold's band (min + 3 scales), so both release all.
    expect(doubleBlind.result!.tables).toEqual(plain.result!.tables);
    expect(doubleBlind.result!.tables.overall!.rows[0]!.people).toBe(files.truth.matched);
    expect(await json<Status>(await call('GET', `${base()}/blind`, { key: partner.apiKey }))).toMatchObject({ toBlind: [], mine: [] });
  });

  it('leaves no file, log line or response with a value a guess could be tested against', async () => {
    const digests = [...prepared.a.digests, ...prepared.b.digests];
    const testable = new Set<string>();
    for (const d of digests) {
      testable.add(d);
      testable.add(Buffer.from(d, 'hex').toString('base64'));
      const point = hashToGroup(fromHex(d)!);
      testable.add(toHex(blind(point, keyA)));
      testable.add(toHex(blind(point, keyB)));
    }
    const doubles = digests.map((d) => toHex(blind(blind(hashToGroup(fromHex(d)!), keyA), keyB)));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(h.dataDir);
    expect(files.length).toBeGreaterThan(3);
    const texts = [...files.map((f) => readFileSync(f).toString('latin1')), h.logs.join('\n')];
    const hits = (haystacks: string[], needles: Iterable<string>) => [...needles].filter((n) => haystacks.some((t) => t.includes(n)));
    expect(hits(texts, testable)).toEqual([]);
    // Responses: the blinder saw the other side's singles (by design: it cannot test them
    // without the other key); nobody ever saw a double, a digest, or its own side's singles
    // blinded by the other.
    expect(hits(seen, doubles)).toEqual([]);
    expect(hits(seen, digests)).toEqual([]);
    expect(hits(texts, doubles)).toEqual([]);
    expect(readdirSync(join(h.dataDir, 'blind', c.id))).toEqual(['record.json']);
  });
});
