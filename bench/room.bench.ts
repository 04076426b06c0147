// `npm run bench:room [-- --rows 1000000]`: the room on two generated prepared datasets
// (publisher exposures × retailer transactions, ~40% of people shared): ingest, identity
// resolution + overlap, and attribution, each beside the same work written by hand in raw
// DuckDB SQL in the same run. Peak memory is the process's (all threads).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileAttribution } from '../src/core/analyses/attribution.js';
import { compileOverlap } from '../src/core/analyses/overlap.js';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { generateRoomData } from './room-data.js';
import { loadReadyTemplates } from '../src/node/template/load-ready-templates.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'bench', 'out', 'room');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rss = () => process.memoryUsage().rss / 1048576;
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, rss());
}, 50);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function benchRoom(rows: number): Promise<void> {
  const files = await generateRoomData(out, rows);
  const template = (await loadReadyTemplates(join(root, 'templates'))).get('offline-sales-attribution')!.template;
  const dataDir = join(out, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const engine = createDuckDbEngine({ dataDir, masterKey: randomBytes(32), encryption: 'off', query: { timeoutMs: 600_000 } });
  const room = await engine.openRoom('bench', { create: true });
  // The baseline stores its tables in a database file too, as a room does.
  const rawFile = join(out, 'raw.duckdb');
  rmSync(rawFile, { force: true });
  rmSync(`${rawFile}.wal`, { force: true });
  const raw = await (await DuckDBInstance.create(rawFile, { threads: '2' })).connect();
  const lines: string[] = [];
  const line = (what: string, ours: number, base: number, n: number) =>
    lines.push(`${what.padEnd(34)} ${(ours / 1000).toFixed(2).padStart(8)} s ${(base / 1000).toFixed(2).padStart(8)} s ${(ours / base).toFixed(2).padStart(6)}x ${fmt((n * 1000) / ours).padStart(12)} rows/s`);

  const ingestOurs = await timed(() => room.loadCsv(files.exposures, loadPlanFor(template, 'exposures')));
  await room.loadCsv(files.transactions, loadPlanFor(template, 'transactions'));
  // Raw DuckDB, the same work by hand: read the CSV, check each identifier is a hex digest,
  // re-key it as HMAC-SHA256(secret, digest) = sha256(opad || sha256(ipad || digest)), cast
  // the typed columns, drop exact duplicates.
  const secret = randomBytes(32);
  const pad = (byte: number) => Buffer.from(secret.map((b) => b ^ byte)).toString('hex');
  const rekey = (column: string) =>
    `CASE WHEN regexp_full_match(${column}, '[0-9A-Fa-f]{64}') THEN sha256(unhex('${pad(0x5c)}') || unhex(sha256(unhex('${pad(0x36)}') || unhex(${column})))) END`;
  const ingestRaw = await timed(() =>
    raw.run(`CREATE TABLE exposures AS SELECT DISTINCT user_id, campaign, TRY_CAST(exposed_at AS TIMESTAMPTZ) AS exposed_at, channel,
      ${rekey('email')} AS email, ${rekey('phone')} AS phone FROM read_csv('${files.exposures}', header = true, all_varchar = true)`),
  );
  await raw.run(`CREATE TABLE transactions AS SELECT DISTINCT customer_id, TRY_CAST(revenue AS DECIMAL(18,6)) AS revenue, store, product_code,
      TRY_CAST(purchased_at AS TIMESTAMPTZ) AS purchased_at, ${rekey('email')} AS email, ${rekey('phone')} AS phone
      FROM read_csv('${files.transactions}', header = true, all_varchar = true)`);
  line('ingest (load + validate + re-key)', ingestOurs.ms, ingestRaw.ms, rows);

  const matchOurs = await timed(async () => {
    await resolveIdentity(room, template, 'exposures', 'transactions');
    const compiled = compileOverlap(template, 'reach', { group_by: [] });
    return room.query(compiled.overall.sql, compiled.overall.params);
  });
  // By hand, the same resolution: each side's people with their key values, then per key the
  // mutual-smallest candidate pairs among people still unmatched, then the overlap count.
  const matchRaw = await timed(async () => {
    await raw.run(`CREATE TABLE ka AS SELECT DISTINCT user_id AS person, 0 AS k, email AS v FROM exposures WHERE email IS NOT NULL
      UNION ALL SELECT DISTINCT user_id, 1, phone FROM exposures WHERE phone IS NOT NULL`);
    await raw.run(`CREATE TABLE kb AS SELECT DISTINCT customer_id AS person, 0 AS k, email AS v FROM transactions WHERE email IS NOT NULL
      UNION ALL SELECT DISTINCT customer_id, 1, phone FROM transactions WHERE phone IS NOT NULL`);
    await raw.run('CREATE TABLE m (pa VARCHAR, pb VARCHAR, k INTEGER)');
    for (const k of [0, 1]) {
      await raw.run(`INSERT INTO m SELECT pa, pb, ${k} FROM (SELECT pa, pb, min(pb) OVER (PARTITION BY pa) AS bb, min(pa) OVER (PARTITION BY pb) AS ba FROM (
        SELECT DISTINCT x.person AS pa, y.person AS pb FROM ka x JOIN kb y ON x.v = y.v WHERE x.k = ${k} AND y.k = ${k}
          AND NOT EXISTS (SELECT 1 FROM m WHERE m.pa = x.person) AND NOT EXISTS (SELECT 1 FROM m WHERE m.pb = y.person))) WHERE pa = ba AND pb = bb`);
    }
    return raw.runAndReadAll('SELECT count(*) FROM m');
  });
  line('match (3 keys, 1:1) + overlap', matchOurs.ms, matchRaw.ms, rows * 2);

  const attribution = compileAttribution(template, 'attribution', { model: 'last_touch', lookback_days: 30, group_by: [] });
  const attributionOurs = await timed(() => room.query(attribution.sql, attribution.params, { timeoutMs: 600_000 }));
  const attributionRaw = await timed(() =>
    raw.runAndReadAll(`WITH c AS (SELECT row_number() OVER () AS cid, t.* FROM transactions t),
      p AS (SELECT c.cid, c.customer_id, c.revenue, e.campaign, e.exposed_at FROM c JOIN m ON m.pb = c.customer_id JOIN exposures e ON e.user_id = m.pa
            AND e.exposed_at <= c.purchased_at AND c.purchased_at < e.exposed_at + INTERVAL 30 DAY),
      w AS (SELECT *, row_number() OVER (PARTITION BY cid ORDER BY exposed_at DESC, campaign) AS r FROM p)
      SELECT campaign, count(*) AS conversions, sum(revenue) AS revenue, count(DISTINCT customer_id) AS converters FROM w WHERE r = 1 GROUP BY campaign`),
  );
  line('attribution (last touch, 30 days)', attributionOurs.ms, attributionRaw.ms, rows * 2);

  clearInterval(sampler);
  console.log(`room: ${fmt(rows)} exposures x ${fmt(rows)} transactions (prepared), 2 threads`);
  console.log(`${'step'.padEnd(34)} ${'cleanroom'.padStart(10)} ${'raw SQL'.padStart(10)} ${'ratio'.padStart(7)} ${'throughput'.padStart(19)}`);
  for (const l of lines) console.log(l);
  console.log(`peak RSS ${fmt(peak)} MiB (both engines in one process)`);
  await engine.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--rows');
  await benchRoom(Number((at === -1 ? '1000000' : process.argv[at + 1] ?? '1000000').replace(/_/g, '')));
}
