/**
 * Engine benchmark: loading a prepared CSV into a room (validation, HMAC re-keying in SQL,
 * deduplication, atomic commit) and a sandboxed aggregate, each beside the same work
 * written by hand in raw DuckDB SQL in the same run, on the same file.
 *
 * Run: `npx tsc -p tsconfig.json && node dist/bench/engine.bench.js [rows]` (default 1M).
 *
 * @example
 * ```sh
 * node dist/bench/engine.bench.js 10000000
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { LoadPlan } from '../src/core/engine-port.js';
import { createDuckDbEngine } from '../src/engine/duckdb/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const threads = availableParallelism();

const PLAN: LoadPlan = {
  dataset: 'customers',
  columns: [
    { name: 'email', type: 'identifier', required: true },
    { name: 'phone', type: 'identifier' },
    { name: 'segment', type: 'text' },
    { name: 'revenue', type: 'decimal' },
  ],
};

const AGGREGATE = `SELECT segment, count(DISTINCT email) AS people, sum(revenue) AS revenue
  FROM customers GROUP BY segment HAVING count(DISTINCT email) >= ? ORDER BY segment`;

async function writeCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,phone,segment,revenue\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const email = createHash('sha256').update(`person${i}@example.com`).digest('hex');
    const phone = i % 3 === 0 ? '' : createHash('sha256').update(`+1555${i}`).digest('base64');
    chunk += `${email},${phone},s${i % 20},${(i % 1000) / 10}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve) => out.once('finish', () => resolve()));
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** The same load by hand: one CTAS reading the CSV, HMAC via sha256, DISTINCT, into a file database. */
async function rawLoad(dir: string, csv: string): Promise<number> {
  const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'), { threads: String(threads) });
  const connection = await instance.connect();
  const rekey = (value: string, decode: string) =>
    `sha256(repeat('\\x5c'::BLOB, 64) || unhex(sha256(repeat('\\x36'::BLOB, 64) || ${decode}(${value}))))`;
  const reader = await connection.runAndReadAll(
    `CREATE TABLE customers AS SELECT DISTINCT ${rekey('email', 'unhex')} AS email,
       CASE WHEN phone IS NULL THEN NULL ELSE ${rekey('phone', 'from_base64')} END AS phone,
       segment, CAST(revenue AS DECIMAL(18, 6)) AS revenue
     FROM read_csv($1, header = true, all_varchar = true)`,
    [csv],
  );
  await connection.run('CHECKPOINT');
  connection.closeSync();
  instance.closeSync();
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

async function rawQuery(dir: string): Promise<number> {
  const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'), { threads: String(threads), access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(AGGREGATE, [100]);
  connection.closeSync();
  instance.closeSync();
  return reader.getRows().length;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cleanroom-engine-bench-'));
  try {
    const csv = join(dir, 'customers.csv');
    await writeCsv(csv, rows);
    const engine = createDuckDbEngine({
      dataDir: join(dir, 'data'),
      masterKey: randomBytes(32),
      encryption: 'preferred',
      sandbox: { threads, memoryLimit: '8GB' },
      writer: { threads, memoryLimit: '8GB' },
      query: { timeoutMs: 600_000 },
    });
    const room = await engine.openRoom('bench', { create: true });
    const raw = await timed(() => rawLoad(dir, csv));
    const load = await timed(() => room.loadCsv(csv, PLAN));
    const rawAgg = await timed(() => rawQuery(dir));
    await room.query('SELECT 1 AS warm');
    const agg = await timed(() => room.query(AGGREGATE, [100]));
    await engine.close();
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
    const lines = [
      `engine benchmark: ${rows} rows, ${threads} threads, room encrypted at rest: ${room.encryptedAtRest}`,
      `load   room ${load.ms.toFixed(0)} ms (${perSecond(load.ms)} rows/s, ${load.result.rowsStored} stored)` +
        ` | raw DuckDB ${raw.ms.toFixed(0)} ms (${perSecond(raw.ms)} rows/s, ${raw.result} stored) | ratio ${(load.ms / raw.ms).toFixed(2)}`,
      `query  room ${agg.ms.toFixed(0)} ms (${agg.result.rows.length} rows) | raw DuckDB ${rawAgg.ms.toFixed(0)} ms` +
        ` (${rawAgg.result} rows, including open) | ratio ${(agg.ms / rawAgg.ms).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
