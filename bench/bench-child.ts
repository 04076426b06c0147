// One measured job in its own process, so that its peak memory (maxRSS, all threads)
// is its own. Prints one JSON line: { ms, maxRssMiB, ...result }.
import { hash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { prepareFile } from '../src/node/prepare/prepare-file.js';

const [job, input, output, workers, dedupe] = process.argv.slice(2);

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function main(): Promise<Record<string, unknown>> {
  if (job === 'prepare') {
    const report = await prepareFile({ input: input!, output: output!, dedupe: dedupe !== 'no-dedupe', ...(workers !== undefined && workers !== '' ? { workers: Number(workers) } : {}) });
    return { rows: report.rows.read, written: report.rows.written };
  }
  if (job === 'duckdb-sha256') {
    // The baseline: DuckDB reading the same CSV and hashing the raw identifier columns
    // with sha256, no normalisation, writing a CSV. Paths are our own, so quoting suffices.
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const conn = await db.connect();
    const cols = ['E-mail Address', 'Mobile', 'First Name', 'Last Name', 'Zip'];
    const select = cols.map((c) => `sha256("${c}") AS "${c}"`).join(', ');
    const reader = await conn.runAndReadAll(
      `COPY (SELECT ${select}, revenue, store, product_code, purchased_at FROM read_csv(${sqlString(input!)}, all_varchar = true, header = true)) TO ${sqlString(output!)} (HEADER)`,
    );
    return { rows: Number(reader.getRows()[0]?.[0] ?? 0) };
  }
  if (job === 'hash-primitive') {
    // The bare hashing primitive on one thread: node:crypto SHA-256 of short strings.
    const n = Number(input);
    const values = Array.from({ length: 100_000 }, (_, i) => `john.smith${i}@example.com`);
    let x = '';
    for (let i = 0; i < n; i++) x = hash('sha256', values[i % values.length]!, 'hex');
    return { hashes: n, last: x.slice(0, 8) };
  }
  throw new Error(`unknown job ${job}`);
}

const started = performance.now();
const result = await main();
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...result })}\n`);
