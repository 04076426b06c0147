// DP overhead in the room: the same aggregate (and overlap, attribution and lift) run through executeAnalysis with
// and without differential privacy, beside the same aggregation in raw DuckDB SQL, on the
// generated publisher × retailer data of room.bench.ts (same generator, same files).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolveIdentity } from '../src/core/match/resolve-identity.js';
import { executeAnalysis } from '../src/core/analyses/execute-analysis.js';
import type { AnalysisOutcome } from '../src/core/analyses/analysis-outcome.js';
import { loadPlanFor } from '../src/core/ingest/load-plan.js';
import type { Template } from '../src/core/template/index.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';
import { generateRoomData } from './room-data.js';
import { ReleaseMemories } from '../src/core/privacy/difference/release-memory.js';
import { FileReleaseMemoryStore } from '../src/node/store/file-release-memory-store.js';
import { ATTRIBUTION, dpBenchTemplates, LIFT, REACH, SPEND } from './dp-room-templates.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rssMiB = () => process.memoryUsage().rss / 1048576;

/** One measured case: a name and what to run. */
interface Case {
  name: string;
  run: () => Promise<unknown>;
}

/** The timings of one case over the repetitions. */
interface Measured {
  name: string;
  ms: number[];
  peakMiB: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The aggregate by hand: each side reduced to (person, dims, measure), joined through the pairs. */
function rawAggregate(dim: 'channel' | 'store' | null): string {
  const exposures = dim === 'channel' ? 'user_id AS person, channel' : 'user_id AS person';
  const transactions = dim === 'store' ? 'customer_id AS person, store, sum(revenue) AS revenue' : 'customer_id AS person, sum(revenue) AS revenue';
  return `WITH a AS (SELECT ${exposures} FROM exposures GROUP BY ALL), b AS (SELECT ${transactions} FROM transactions GROUP BY ALL)
    SELECT ${dim === null ? '' : `${dim}, `}count(DISTINCT m.pa) AS people, sum(b.revenue) AS revenue, sum(b.revenue) / count(DISTINCT m.pa) AS mean
    FROM m JOIN a ON a.person = m.pa JOIN b ON b.person = m.pb ${dim === null ? '' : 'GROUP BY ALL ORDER BY ALL'}`;
}

/** The overlap by hand: matched people and their share of each side (the room's also splits them per match key). */
const RAW_OVERLAP = `SELECT count(DISTINCT pa) AS people, count(DISTINCT pa) / (SELECT count(DISTINCT user_id) FROM exposures) AS share_a,
  count(DISTINCT pb) / (SELECT count(DISTINCT customer_id) FROM transactions) AS share_b FROM m`;

/**
 * Loads `rows` exposures and `rows` transactions into a room and into a raw DuckDB database,
 * then times each case `repeats` times, cases interleaved round by round so that load from
 * other work on the machine falls on all of them alike. Prints medians and peak RSS.
 *
 * @example
 * ```ts
 * await benchDpRoom(repoRoot, 1_000_000, 5);
 * ```
 */
export async function benchDpRoom(root: string, rows: number, repeats: number): Promise<void> {
  const out = join(root, 'bench', 'out', 'room');
  const files = await generateRoomData(out, rows);
  const { plain, dp } = dpBenchTemplates(root);
  const dataDir = join(out, 'dp-data');
  rmSync(dataDir, { recursive: true, force: true });
  const engine = createDuckDbEngine({ dataDir, masterKey: randomBytes(32), encryption: 'off', query: { timeoutMs: 600_000 } });
  const room = await engine.openRoom('bench-dp', { create: true });
  const rawFile = join(out, 'dp-raw.duckdb');
  rmSync(rawFile, { force: true });
  rmSync(`${rawFile}.wal`, { force: true });
  const raw = await (await DuckDBInstance.create(rawFile, { threads: '2' })).connect();

  let peak = rssMiB();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, 25);
  const setupStarted = performance.now();
  await room.loadCsv(files.exposures, loadPlanFor(dp, 'exposures'));
  await room.loadCsv(files.transactions, loadPlanFor(dp, 'transactions'));
  const match = await resolveIdentity(room, dp, 'exposures', 'transactions');
  await loadRaw(raw, files);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  let runNo = 0;
  // Thresholded runs keep the difference check's memory as a server does: a JSON Lines file, fsynced per run.
  const memory = await new ReleaseMemories(await FileReleaseMemoryStore.open(join(dataDir, 'release-memory'))).open('bench-dp', plain.privacy.minPeople);
  const run = (template: Template, analysis: string, params: Record<string, string[] | string | number>) => () =>
    executeAnalysis(room, template, analysis, params, `run_${++runNo}`, { memory });
  const cases: Case[] = [
    { name: 'aggregate, no grouping: raw SQL', run: () => raw.runAndReadAll(rawAggregate(null)) },
    { name: 'aggregate, no grouping: room', run: run(plain, SPEND, { group_by: [] }) },
    { name: 'aggregate, no grouping: room + DP', run: run(dp, SPEND, { group_by: [] }) },
    { name: 'by channel (public): raw SQL', run: () => raw.runAndReadAll(rawAggregate('channel')) },
    { name: 'by channel (public): room', run: run(plain, SPEND, { group_by: ['exposures.channel'] }) },
    { name: 'by channel (public): room + DP', run: run(dp, SPEND, { group_by: ['exposures.channel'] }) },
    { name: 'by store (private): raw SQL', run: () => raw.runAndReadAll(rawAggregate('store')) },
    { name: 'by store (private): room', run: run(plain, SPEND, { group_by: ['transactions.store'] }) },
    { name: 'by store (private): room + DP', run: run(dp, SPEND, { group_by: ['transactions.store'] }) },
    { name: 'overlap: raw SQL (overall, shares)', run: () => raw.runAndReadAll(RAW_OVERLAP) },
    { name: 'overlap: room', run: run(plain, REACH, {}) },
    { name: 'overlap: room + DP', run: run(dp, REACH, {}) },
    { name: 'attribution, last touch: raw SQL', run: () => raw.runAndReadAll(RAW_ATTRIBUTION) },
    { name: 'attribution, last touch: room', run: run(plain, ATTRIBUTION, LAST_TOUCH) },
    { name: 'attribution, last touch: room + DP', run: run(dp, ATTRIBUTION, LAST_TOUCH) },
    { name: 'lift (display vs video): raw SQL', run: () => raw.runAndReadAll(RAW_LIFT) },
    { name: 'lift (display vs video): room', run: run(plain, LIFT, LIFT_DAYS) },
    { name: 'lift (display vs video): room + DP', run: run(dp, LIFT, LIFT_DAYS) },
  ];
  const measured: Measured[] = cases.map((c) => ({ name: c.name, ms: [], peakMiB: 0 }));
  // One warm-up round (first reads of the tables), then the measured rounds. The warm-up's
  // results are checked: the DP runs must carry noise notes and land near the plain ones.
  const warm: unknown[] = [];
  for (const c of cases) warm.push(await c.run());
  const checks = [1, 4, 7, 10, 13, 16].map((i) => checkPair(cases[i]!.name, warm[i] as AnalysisOutcome, warm[i + 1] as AnalysisOutcome));
  for (let round = 0; round < repeats; round++) {
    for (const [i, c] of cases.entries()) {
      peak = rssMiB();
      const started = performance.now();
      await c.run();
      measured[i]!.ms.push(performance.now() - started);
      measured[i]!.peakMiB = Math.max(measured[i]!.peakMiB, peak, rssMiB());
    }
  }
  clearInterval(sampler);

  console.log(`dp room: ${fmt(rows)} exposures x ${fmt(rows)} transactions (prepared), ${fmt(match.matched)} matched people, 2 threads`);
  console.log(`setup (both loads, matching, raw tables) ${setupSeconds.toFixed(1)} s; ${repeats} measured rounds after one warm-up; load average ${loadAverage()}`);
  console.log(`${'case'.padEnd(36)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)} ${'vs room'.padStart(8)} ${'vs raw'.padStart(7)} ${'rows/s'.padStart(12)} ${'peak RSS'.padStart(10)}`);
  for (const [i, m] of measured.entries()) {
    const group = Math.floor(i / 3) * 3;
    const rawMs = median(measured[group]!.ms);
    const roomMs = median(measured[group + 1]!.ms);
    const ms = median(m.ms);
    const vsRoom = i % 3 === 2 ? `${(((ms - roomMs) / roomMs) * 100).toFixed(1)}%` : '';
    console.log(
      `${m.name.padEnd(36)} ${(ms / 1000).toFixed(3).padStart(8)}s ${(Math.min(...m.ms) / 1000).toFixed(3).padStart(8)}s ${(Math.max(...m.ms) / 1000).toFixed(3).padStart(8)}s ${vsRoom.padStart(8)} ${`${(ms / rawMs).toFixed(2)}x`.padStart(7)} ${fmt((rows * 2 * 1000) / ms).padStart(12)} ${`${fmt(m.peakMiB)} MiB`.padStart(10)}`,
    );
  }
  for (const line of checks) console.log(line);
  console.log(`process maxRSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB (room and raw DuckDB in one process)`);
  await engine.close();
  raw.closeSync();
}

/**
 * One line comparing a plain run with its DP twin: the people of the first row (the overall
 * figure or the plain table's first group), whether the plain figure
 * lies within the DP figure's 95% interval, and the released groups. Throws when the DP run carries no noise
 * (the bench would be timing the wrong path) or the plain run does.
 */
function checkPair(name: string, plain: AnalysisOutcome, dp: AnalysisOutcome): string {
  const [tableName, plainTable] = Object.entries(plain.result.tables)[0]!;
  const dpTable = dp.result.tables[tableName];
  if (plainTable.noise !== undefined || dpTable?.noise === undefined) {
    throw new Error(`Cannot compare ${name}: the DP run's table '${tableName}' ${dpTable === undefined ? 'is missing' : 'has no noise notes'}, or the plain one has`);
  }
  const people = (row: Record<string, unknown> | undefined, column: string) => (row === undefined ? 'none' : fmt(Number(row[column])));
  // The DP row of the plain table's first group: same values in every column that is not noised.
  const keys = dpTable.columns.filter((column) => dpTable.noise?.[column] === undefined);
  const first = dpTable.rows.find((row) => keys.every((key) => String(row[key]) === String(plainTable.rows[0]?.[key])));
  const half = dpTable.noise.people?.halfWidth ?? null;
  const gap = Math.abs(Number(first?.people) - Number(plainTable.rows[0]?.people));
  const verdict = half === null || first === undefined || plainTable.rows[0] === undefined ? '' : gap <= half ? ' (within)' : ' (outside: expected about 1 run in 20)';
  return `check ${name.replace(/: room$/, '')}: ${tableName} people ${people(plainTable.rows[0], 'people')} plain vs ${people(first, 'people')}${half === null ? '' : ` ±${fmt(half)}`} DP${verdict}; groups ${plainTable.rows.length} plain vs ${dpTable.rows.length} DP (${dpTable.selection?.kind ?? 'no selection'})`;
}

/** The attribution runs' parameters: last touch, 30 days, by campaign only. */
const LAST_TOUCH = { model: 'last_touch', lookback_days: 30, group_by: [] as string[] };

/** Last touch by hand (as room.bench.ts): each conversion to its latest exposure within 30 days, per campaign. */
const RAW_ATTRIBUTION = `WITH c AS (SELECT row_number() OVER () AS cid, t.* FROM transactions t),
  p AS (SELECT c.cid, c.customer_id, c.revenue, e.campaign, e.exposed_at FROM c JOIN m ON m.pb = c.customer_id JOIN exposures e ON e.user_id = m.pa
        AND e.exposed_at <= c.purchased_at AND c.purchased_at < e.exposed_at + INTERVAL 30 DAY),
  w AS (SELECT *, row_number() OVER (PARTITION BY cid ORDER BY exposed_at DESC, campaign) AS r FROM p)
  SELECT campaign, count(*) AS conversions, sum(revenue) AS revenue, count(DISTINCT customer_id) AS converters FROM w WHERE r = 1 GROUP BY campaign`;

/** The lift runs' parameters: every generated purchase (they fall in March to May 2026). */
const LIFT_DAYS = { converted_from: '2026-01-01', converted_to: '2026-12-31' };

/** Lift's arms by hand: per arm, people, converters, conversions and revenue (as compileLift, without its sums of squares). */
const RAW_LIFT = `WITH arms AS (SELECT DISTINCT user_id AS person, CASE channel WHEN 'display' THEN 'exposed' ELSE 'holdout' END AS arm FROM exposures WHERE channel IN ('display', 'video')),
  conv AS (SELECT m.pa AS person, count(*) AS conversions, sum(t.revenue) AS revenue FROM transactions t JOIN m ON m.pb = t.customer_id GROUP BY 1)
  SELECT arm, count(*) AS people, count(conv.person) AS converters, sum(coalesce(conversions, 0)) AS conversions, sum(coalesce(revenue, 0)) AS revenue
  FROM arms LEFT JOIN conv USING (person) GROUP BY arm`;

/** The raw baseline's tables: the columns the aggregation and attribution read, and the matched pairs by email. */
async function loadRaw(raw: DuckDBConnection, files: { exposures: string; transactions: string }): Promise<void> {
  await raw.run(`CREATE TABLE exposures AS SELECT user_id, channel, campaign, TRY_CAST(exposed_at AS TIMESTAMP) AS exposed_at, email FROM read_csv('${files.exposures}', header = true, all_varchar = true)`);
  await raw.run(`CREATE TABLE transactions AS SELECT customer_id, TRY_CAST(revenue AS DECIMAL(18,6)) AS revenue, store, TRY_CAST(purchased_at AS TIMESTAMP) AS purchased_at, email
    FROM read_csv('${files.transactions}', header = true, all_varchar = true)`);
  // Every generated person has one email on each side, so the email join is the room's 1:1 match.
  await raw.run(`CREATE TABLE m AS SELECT DISTINCT e.user_id AS pa, t.customer_id AS pb
    FROM (SELECT DISTINCT user_id, email FROM exposures) e JOIN (SELECT DISTINCT customer_id, email FROM transactions) t USING (email)`);
}

/** The 1, 5 and 15 minute load averages; on this 2-core box 2.0 means both cores busy. */
const loadAverage = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');
