// `npm run bench:graph [-- --people 1000000]`: matching through an identity graph (issue 12).
// N publisher users and N retailer customers, 60% of each side the same people; the publisher
// knows every user's phone and 70% of their emails, the retailer every customer's email, so
// 30% of the shared people share no identifier and are linked only by the partner's graph:
// 1.6N graph people with two emails and a phone each, on three rows (≈3x the rows of a side).
// The room's matching (load excluded; keys, the direct levels, the graph level, the report)
// beside the same bridging written by hand in raw DuckDB SQL, in the same run.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'bench', 'out', 'graph');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss / 1048576);
}, 50);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** The three prepared files (hex SHA-256 identifiers), written by DuckDB unless present. */
async function generate(people: number): Promise<{ exposures: string; transactions: string; graph: string }> {
  mkdirSync(out, { recursive: true });
  const files = { exposures: join(out, `exposures-${people}.csv`), transactions: join(out, `transactions-${people}.csv`), graph: join(out, `graph-${people}.csv`) };
  try {
    Object.values(files).forEach((f) => statSync(f));
    return files;
  } catch {
    // generate below
  }
  const c = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const offset = Math.floor(people * 0.4);
  await c.run(`COPY (SELECT 'u' || i AS user_id, 'campaign_' || (hash(i) % 20) AS campaign, TIMESTAMP '2026-03-01' AS exposed_at, 'display' AS channel,
      CASE WHEN hash(i * 3) % 10 < 7 THEN sha256('e' || i) ELSE '' END AS email, sha256('p' || i) AS phone, '' AS first_name, '' AS last_name, '' AS zip
    FROM range(${people}) t(i)) TO '${files.exposures}' (HEADER)`);
  await c.run(`COPY (SELECT 'c' || p AS customer_id, 10.00 AS revenue, 's1' AS store, 'k1' AS product_code, TIMESTAMP '2026-03-05' AS purchased_at,
      sha256('e' || p) AS email, '' AS phone, '' AS first_name, '' AS last_name, '' AS zip
    FROM (SELECT ${offset} + i AS p FROM range(${people}) t(i))) TO '${files.transactions}' (HEADER)`);
  await c.run(`COPY (SELECT 'g' || i AS partner_person_id, CASE r WHEN 0 THEN sha256('e' || i) WHEN 1 THEN sha256('e2-' || i) ELSE '' END AS email,
      CASE WHEN r = 2 THEN sha256('p' || i) ELSE '' END AS phone, '' AS first_name, '' AS last_name, '' AS zip
    FROM range(${offset + people}) t(i), range(3) s(r)) TO '${files.graph}' (HEADER)`);
  c.closeSync();
  return files;
}

async function benchGraph(people: number): Promise<void> {
  const files = await generate(people);
  const template = (await loadReadyTemplates(join(root, 'templates'))).get('identity-partner-attribution')!.template;
  const dataDir = join(out, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const engine = createDuckDbEngine({ dataDir, masterKey: randomBytes(32), encryption: 'off', query: { timeoutMs: 1_800_000 } });
  const room = await engine.openRoom('bench', { create: true });
  await room.loadCsv(files.exposures, loadPlanFor(template, 'exposures'));
  await room.loadCsv(files.transactions, loadPlanFor(template, 'transactions'));
  await room.loadCsv(files.graph, loadPlanFor(template, 'identity_graph'));
  const rawFile = join(out, 'raw.duckdb');
  rmSync(rawFile, { force: true });
  rmSync(`${rawFile}.wal`, { force: true });
  const raw = await (await DuckDBInstance.create(rawFile, { threads: '2' })).connect();
  const load = (name: string, file: string, person: string) =>
    raw.run(`CREATE TABLE ${name} AS SELECT ${person} AS person, nullif(email, '') AS email, nullif(phone, '') AS phone FROM read_csv('${file}', header = true, all_varchar = true)`);
  await load('a', files.exposures, 'user_id');
  await load('b', files.transactions, 'customer_id');
  await load('g', files.graph, 'partner_person_id');

  const direct = await timed(() => resolveIdentity(room, template, 'exposures', 'transactions'));
  const ours = await timed(() => resolveIdentity(room, template, 'exposures', 'transactions', { bridge: true }));
  // By hand: each side's key values, the direct levels (mutual smallest among the unmatched),
  // then the graph: people over the cap dropped, records leading to one graph person only,
  // the pairs of one graph person, the same rounds.
  const theirs = await timed(async () => {
    const keys = (t: string) => `SELECT DISTINCT person, 0 AS k, email AS v FROM ${t} WHERE email IS NOT NULL UNION ALL SELECT DISTINCT person, 1, phone FROM ${t} WHERE phone IS NOT NULL`;
    await raw.run(`CREATE OR REPLACE TABLE ka AS ${keys('a')}`);
    await raw.run(`CREATE OR REPLACE TABLE kb AS ${keys('b')}`);
    await raw.run(`CREATE OR REPLACE TABLE kg AS ${keys('g')}`);
    await raw.run('CREATE OR REPLACE TABLE m (pa VARCHAR, pb VARCHAR, k INTEGER)');
    const accept = (k: number, candidates: string) =>
      raw.run(`INSERT INTO m SELECT pa, pb, ${k} FROM (SELECT pa, pb, min(pb) OVER (PARTITION BY pa) AS bb, min(pa) OVER (PARTITION BY pb) AS ba FROM (${candidates})) WHERE pa = ba AND pb = bb`);
    const unmatched = 'NOT EXISTS (SELECT 1 FROM m WHERE m.pa = x.pa) AND NOT EXISTS (SELECT 1 FROM m WHERE m.pb = x.pb)';
    for (const k of [0, 1]) await accept(k, `SELECT * FROM (SELECT DISTINCT x.person AS pa, y.person AS pb FROM ka x JOIN kb y ON x.v = y.v WHERE x.k = ${k} AND y.k = ${k}) x WHERE ${unmatched}`);
    const side = (t: string) =>
      `SELECT x.person AS p, min(g.person) AS gp FROM ${t} x JOIN (SELECT * FROM kg WHERE person IN (SELECT person FROM kg GROUP BY person HAVING count(*) <= 25)) g ON x.k = g.k AND x.v = g.v GROUP BY x.person HAVING count(DISTINCT g.person) = 1`;
    await accept(3, `SELECT * FROM (SELECT DISTINCT ga.p AS pa, gb.p AS pb FROM (${side('ka')}) ga JOIN (${side('kb')}) gb ON ga.gp = gb.gp) x WHERE ${unmatched}`);
    return raw.runAndReadAll('SELECT k, count(*) AS n FROM m GROUP BY k ORDER BY k');
  });
  const rawCounts = theirs.value.getRowObjects().map((r) => `${String(r.k)}:${String(r.n)}`).join(' ');
  const byKey = ours.value.byKey.map((k) => `${k.key} ${fmt(k.matched)}`).join(', ');
  clearInterval(sampler);
  console.log(`graph matching: ${fmt(people)} publisher users x ${fmt(people)} retailer customers, graph of ${fmt(ours.value.graph!.people)} people (${fmt(3 * ours.value.graph!.people)} rows), 2 threads`);
  console.log(`room, direct keys only          ${(direct.ms / 1000).toFixed(2).padStart(7)} s  matched ${fmt(direct.value.matched)}`);
  console.log(`room, with the graph            ${(ours.ms / 1000).toFixed(2).padStart(7)} s  ${byKey}`);
  console.log(`raw DuckDB SQL, with the graph  ${(theirs.ms / 1000).toFixed(2).padStart(7)} s  (k:n ${rawCounts})`);
  console.log(`ratio room / raw                ${(ours.ms / theirs.ms).toFixed(2).padStart(7)}x`);
  console.log(`peak RSS ${fmt(peak)} MiB (both engines in one process)`);
  await engine.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--people');
  await benchGraph(Number((at === -1 ? '1000000' : process.argv[at + 1] ?? '1000000').replace(/_/g, '')));
}
