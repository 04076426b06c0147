// `npm run bench:load [-- --clients 50 --collaborations 5 --rows 100000 --runs 10 --max-seconds 300]
// [-- --in-process] [-- --server-flags "--cpu-prof"]` (not in CI): one cleanroom server on 127.0.0.1
// in its own process (bench/load-server.ts; `--in-process` shares this one), `--collaborations` audience-overlap
// collaborations, each side uploaded concurrently through the HTTP API (--rows × --rows
// prepared rows, about half shared), then `--clients` concurrent clients each running
// `--runs` overlaps, spread over the collaborations. Prints throughput, p50/p99 latency and
// errors per phase; a last phase re-uploads one side of each collaboration while every
// client runs once more (those runs include re-matching the new version). Bounded: every phase stops at the deadline and counts what did not finish.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiClient } from '../src/cli/client/api-client.js';
import { startServer } from '../src/server/main.js';

const root = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(argv[at + 1]);
};
const clients = arg('clients', 50);
const collaborations = arg('collaborations', 5);
const rows = arg('rows', 100_000);
const runsPerClient = arg('runs', 10);
const deadline = Date.now() + arg('max-seconds', 300) * 1000;
/** `--in-process`: the server shares this process (and its event loop) with the clients. */
const inProcess = argv.includes('--in-process');
/** `--server-flags "--cpu-prof"`: node flags of the server process (to profile it). */
const serverFlags = argv.includes('--server-flags') ? (argv[argv.indexOf('--server-flags') + 1] ?? '').split(' ').filter(Boolean) : [];

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function writeSide(path: string, header: string, dimension: string, offset: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < rows; i++) {
    const person = offset + i;
    if (!out.write(`${dimension},${sha(`person${person}@example.com`)},,,,\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

interface Phase {
  name: string;
  latencies: number[];
  errors: Map<string, number>;
  ms: number;
}

async function phase(name: string, jobs: (() => Promise<unknown>)[][]): Promise<Phase> {
  const result: Phase = { name, latencies: [], errors: new Map(), ms: 0 };
  const started = performance.now();
  await Promise.all(
    jobs.map(async (queue) => {
      for (const job of queue) {
        if (Date.now() > deadline) {
          result.errors.set('deadline', (result.errors.get('deadline') ?? 0) + 1);
          continue;
        }
        const t = performance.now();
        try {
          await job();
          result.latencies.push(performance.now() - t);
        } catch (error) {
          const code = `${(error as { details?: { apiCode?: string } }).details?.apiCode ?? "error"}: ${(error as Error).message.slice(0, 120)}`;
          result.errors.set(code, (result.errors.get(code) ?? 0) + 1);
        }
      }
    }),
  );
  result.ms = performance.now() - started;
  return result;
}

function report(p: Phase): void {
  const sorted = [...p.latencies].sort((a, b) => a - b);
  const q = (f: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!);
  const errors = [...p.errors.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${p.name.padEnd(8)} ${String(sorted.length).padStart(5)} ok ${String(errors).padStart(4)} errors ${(sorted.length / (p.ms / 1000)).toFixed(1).padStart(8)} req/s  p50 ${q(0.5).toFixed(0).padStart(6)} ms  p99 ${q(0.99).toFixed(0).padStart(6)} ms  wall ${(p.ms / 1000).toFixed(1)} s${errors > 0 ? `  ${JSON.stringify(Object.fromEntries(p.errors))}` : ''}\n`,
  );
}

/** The server in its own process (bench/load-server.ts): its URL, operator key, and how to stop it. */
async function serverProcess(dataDir: string): Promise<{ url: string; operatorKey: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [...serverFlags, join(import.meta.dirname, 'load-server.js'), dataDir, join(root, 'templates')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the load server exited ${code}`)));
  });
  const { url, operatorKey } = JSON.parse(first) as { url: string; operatorKey: string };
  return {
    url,
    operatorKey,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const dir = join(root, 'bench', 'out', 'load');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const a = join(dir, 'policyholders.csv');
  const b = join(dir, 'partner.csv');
  process.stdout.write(`generating ${rows.toLocaleString('en-US')} x ${rows.toLocaleString('en-US')} prepared rows ...\n`);
  await writeSide(a, 'policy_type,email,phone,first_name,last_name,zip', 'home', 0);
  await writeSide(b, 'plan,email,phone,first_name,last_name,zip', 'basic', Math.floor(rows / 2));
  const server = inProcess ? await startServer({
    dataDir: join(dir, 'data'),
    templatesDir: join(root, 'templates'),
    port: 0,
    env: {},
    out: { write: () => true } as unknown as NodeJS.WritableStream,
    logTo: { write: () => undefined } as never,
    limits: { rateBurst: 1e6, ratePerSecond: 1e6, runsConcurrent: 4, runsQueued: 1000 },
  }) : await serverProcess(join(dir, 'data'));
  try {
    const op = new ApiClient({ server: server.url, apiKey: server.operatorKey });
    const party = (name: string) => op.json<{ id: string; apiKey: string }>('POST', '/v1/parties', { name });
    const insurer = await party('Insurer');
    const partner = await party('Partner');
    const asInsurer = new ApiClient({ server: server.url, apiKey: insurer.apiKey });
    const asPartner = new ApiClient({ server: server.url, apiKey: partner.apiKey });
    const ids: string[] = [];
    for (let i = 0; i < collaborations; i++) {
      const c = await asInsurer.json<{ id: string; templateDigest: string }>('POST', '/v1/collaborations', { name: `load ${i}`, template: 'audience-overlap', members: { insurer: insurer.id, partner: partner.id } });
      for (const client of [asInsurer, asPartner]) await client.json('POST', `/v1/collaborations/${c.id}/attestations`, { termsVersion: '1', templateDigest: c.templateDigest });
      ids.push(c.id);
    }
    process.stdout.write(`server ${server.url}: ${clients} clients, ${collaborations} collaborations, ${runsPerClient} overlap runs per client\n`);
    const uploads = await phase('upload', ids.flatMap((id) => [
      [() => asInsurer.putFile(`/v1/collaborations/${id}/datasets/policyholders`, a)],
      [() => asPartner.putFile(`/v1/collaborations/${id}/datasets/partner_customers`, b)],
    ]));
    report(uploads);
    // The first run of each collaboration resolves identities; later ones query the match.
    const first = await phase('match', ids.map((id) => [() => asInsurer.json('POST', `/v1/collaborations/${id}/runs`, { analysis: 'overlap', params: {} })]));
    report(first);
    const runs = await phase('overlap', Array.from({ length: clients }, (_, i) => {
      const client = i % 2 === 0 ? asInsurer : asPartner;
      const id = ids[i % ids.length]!;
      return Array.from({ length: runsPerClient }, () => () => client.json('POST', `/v1/collaborations/${id}/runs`, { analysis: 'overlap', params: {} }));
    }));
    report(runs);
    // Uploads and runs at once: a new version of each collaboration's dataset while the
    // clients run; a collaboration's runs wait for its upload to commit.
    const mixed = await phase('mixed', [
      ...ids.map((id) => [() => asInsurer.putFile(`/v1/collaborations/${id}/datasets/policyholders`, a)]),
      ...Array.from({ length: clients }, (_, i) => {
        const id = ids[i % ids.length]!;
        return [() => (i % 2 === 0 ? asInsurer : asPartner).json('POST', `/v1/collaborations/${id}/runs`, { analysis: 'overlap', params: {} })];
      }),
    ]);
    report(mixed);
  } finally {
    await server.close();
  }
}

await main();
