/**
 * The whole double-blind flow, as two parties and the room run it on this machine: each party
 * prepares its file with its own blind key (`--hash blind`: normalise, SHA-256, hash to
 * ristretto255, first blinding, on worker threads), uploads it over HTTP to a server on
 * 127.0.0.1, runs `blind sync` (fetch each batch of the other side's singles, blind it a
 * second time, send it back), and the room loads each side when its last batch is in; then an
 * overlap run. Beside it in the same run: the bare primitives' throughput (hash to group and
 * one scalar multiplication, one thread), the least time those operations need on the
 * machine's cores, and the same flow in hashed (SHA-256) mode.
 *
 * Run: `npm run bench:blind-flow -- --rows 1000000`
 *
 * @example
 * ```sh
 * node dist/bench/blind-flow.bench.js --rows 100000
 * ```
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { blind, blindReady, formatBlindKey, hashToGroup, newBlindKey, toHex } from '../src/core/identity/blind/index.js';
import { keyCheck } from '../src/core/identity/blind/exchange/index.js';
import { ApiClient } from '../src/cli/client/api-client.js';
import { syncBlind } from '../src/cli/commands/blind.js';
import { prepareFile } from '../src/node/prepare/prepare-file.js';
import { startServer } from '../src/server/main.js';

const argv = process.argv.slice(2);
const rows = Number(argv[argv.indexOf('--rows') + 1] ?? 100_000) || 100_000;
const workers = Math.max(1, cpus().length);

let peakMiB = 0;
const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, process.memoryUsage().rss / 1048576)), 100);

async function writeSide(path: string, from: number, extra: string, value: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`email,${extra}\n`);
  for (let i = from; i < from + rows; i++) {
    if (!out.write(`Person.${i}@Example.com,${value}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  console.log(`  ${label.padEnd(46)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
  return { ms, value };
}

function primitives(): { hashPerSec: number; blindPerSec: number } {
  const n = 5000;
  const key = newBlindKey();
  const points: Uint8Array[] = [];
  let started = performance.now();
  for (let i = 0; i < n; i++) points.push(hashToGroup(`p${i}@example.com`));
  const hashPerSec = n / ((performance.now() - started) / 1000);
  started = performance.now();
  for (const p of points) blind(p, key);
  const blindPerSec = n / ((performance.now() - started) / 1000);
  return { hashPerSec, blindPerSec };
}

await blindReady();
const dir = await mkdtemp(join(tmpdir(), 'cleanroom-blind-flow-'));
const server = await startServer({
  dataDir: join(dir, 'data'),
  templatesDir: join(import.meta.dirname, '..', '..', 'templates'),
  port: 0,
  env: {},
  out: { write: () => true } as unknown as NodeJS.WritableStream,
  logTo: { write: () => undefined } as never,
  limits: { rateBurst: 1e6, ratePerSecond: 1e6 },
});
try {
  const operator = new ApiClient({ server: server.url, apiKey: server.operatorKey });
  const [a, b] = [await operator.json<{ id: string; apiKey: string }>('POST', '/v1/parties', { name: 'A' }), await operator.json<{ id: string; apiKey: string }>('POST', '/v1/parties', { name: 'B' })];
  const clientA = new ApiClient({ server: server.url, apiKey: a.apiKey });
  const clientB = new ApiClient({ server: server.url, apiKey: b.apiKey });
  await writeSide(join(dir, 'a.csv'), 0, 'policy_type', 'home');
  await writeSide(join(dir, 'b.csv'), rows / 2, 'plan', 'basic');
  const prim = primitives();
  // Per side: one hash to group and one blinding in prepare, one blinding in the other's sync.
  const floorS = (2 * rows) / prim.hashPerSec / workers + (4 * rows) / prim.blindPerSec / workers;
  console.log(`double-blind flow, ${rows.toLocaleString('en-US')} x ${rows.toLocaleString('en-US')} rows (one email each, half shared), ${workers} worker threads`);
  console.log(`  baseline: hash to group ${Math.round(prim.hashPerSec).toLocaleString('en-US')}/s, scalar multiplication ${Math.round(prim.blindPerSec).toLocaleString('en-US')}/s (one thread)`);
  console.log(`  baseline: those operations alone on ${workers} cores ${floorS.toFixed(1)} s`);

  async function flow(hashing: 'double-blind' | 'client'): Promise<number> {
    const c = await clientA.json<{ id: string; templateDigest: string; template: { terms: { version: string } } }>('POST', '/v1/collaborations', {
      name: hashing,
      template: 'audience-overlap',
      members: { insurer: a.id, partner: b.id },
      ...(hashing === 'double-blind' ? { hashing } : {}),
    });
    for (const client of [clientA, clientB]) await client.json('POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: c.template.terms.version, templateDigest: c.templateDigest });
    const keys = [newBlindKey(), newBlindKey()].map((k) => new TextEncoder().encode(formatBlindKey(k)));
    const sides = [
      { client: clientA, dataset: 'policyholders', input: join(dir, 'a.csv'), key: keys[0]! },
      { client: clientB, dataset: 'partner_customers', input: join(dir, 'b.csv'), key: keys[1]! },
    ];
    const started = performance.now();
    for (const [i, side] of sides.entries()) {
      const output = join(dir, `${hashing}-${i}.csv`);
      await timed(`${side.dataset}: prepare (${hashing === 'double-blind' ? 'first blinding' : 'SHA-256'})`, () =>
        prepareFile({ input: side.input, output, workers, ...(hashing === 'double-blind' ? { hash: 'blind' as const, key: side.key } : {}) }),
      );
      const headers = hashing === 'double-blind' ? { 'x-cleanroom-key-check': toHex(keyCheck(readKey(side.key))) } : undefined;
      const up = await timed(`${side.dataset}: upload over HTTP`, () => side.client.putFile(`/v1/collaborations/${c.id}/datasets/${side.dataset}`, output, headers === undefined ? {} : { headers }));
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(up.value).slice(0, 400));
    }
    if (hashing === 'double-blind') {
      await timed('B: blind sync (second blinding of A, load)', () => syncBlind(clientB, c.id, sides[1]!.key, { workers }));
      await timed('A: blind sync (second blinding of B, load)', () => syncBlind(clientA, c.id, sides[0]!.key, { workers }));
    }
    const run = await timed('overlap run (match + release)', () => clientA.json<{ result: { tables: { overall: { rows: { people: number }[] } } } }>('POST', `/v1/collaborations/${c.id}/runs`, { analysis: 'overlap', params: {} }));
    const total = performance.now() - started;
    const people = run.value.result?.tables.overall.rows[0]?.people;
    if (people === undefined) console.log(JSON.stringify(run.value).slice(0, 600));
    if (people !== rows / 2) throw new Error(`the ${hashing} overlap matched ${people} people, not ${rows / 2}`);
    console.log(`  ${`${hashing}: whole flow`.padEnd(46)} ${(total / 1000).toFixed(1).padStart(7)} s  (${Math.round((2 * rows) / (total / 1000)).toLocaleString('en-US')} rows/s)`);
    return total;
  }
  const { readBlindKey } = await import('../src/core/identity/blind/index.js');
  const readKey = readBlindKey;
  console.log('hashed (SHA-256) mode, the baseline flow');
  const hashed = await flow('client');
  console.log('double-blind mode');
  const blinded = await flow('double-blind');
  console.log(`  double-blind / hashed: ${(blinded / hashed).toFixed(1)}x; double-blind / primitives floor: ${(blinded / 1000 / floorS).toFixed(2)}x`);
  console.log(`  peak RSS (server and both parties in this process) ${Math.round(peakMiB).toLocaleString('en-US')} MiB`);
  const projected = (blinded / 1000) * (10_000_000 / rows);
  console.log(`  10M x 10M projected linearly: ${(projected / 60).toFixed(0)} min`);
} finally {
  clearInterval(sampler);
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
