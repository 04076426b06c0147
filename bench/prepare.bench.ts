// `npm run bench:prepare [-- --rows 1000000,10000000]`: generates a realistic dirty
// customer file per size, runs `prepare` on it, and in the same run the baselines:
// DuckDB read_csv hashing the raw columns with sha256, and the bare hashing primitive.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCustomers } from '../src/cli/demo/generate-customers.js';

const root = resolve(import.meta.dirname, '../..');
const outDir = join(root, 'bench', 'out');
const child = join(root, 'dist', 'bench', 'bench-child.js');

interface Measured {
  ms: number;
  maxRssMiB: number;
  rows?: number;
}

function measure(args: string[]): Measured {
  const stdout = execFileSync(process.execPath, [child, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Measured;
}

function parseSizes(argv: string[]): number[] {
  const at = argv.indexOf('--rows');
  const value = at === -1 ? '1000000' : argv[at + 1] ?? '1000000';
  return value.split(',').map((v) => Number(v.replace(/_/g, '')));
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchPrepare(sizes: number[]): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  console.log('prepare: normalise + hash email, phone, first/last name, zip; pass 4 columns through; dedupe');
  console.log('size        job                       seconds     rows/s   MiB/s  peak RSS MiB  vs baseline');
  for (const rows of sizes) {
    const input = join(outDir, `customers-${rows}.csv`);
    if (!existsSync(input)) await generateCustomers(input, { rows, seed: 42, identifiers: 'core' });
    const mib = statSync(input).size / 1048576;
    const base = measure(['duckdb-sha256', input, join(outDir, `duckdb-${rows}.csv`)]);
    const ours = measure(['prepare', input, join(outDir, `prepared-${rows}.csv`)]);
    const one = measure(['prepare', input, join(outDir, `prepared-${rows}-1w.csv`), '1']);
    const flat = measure(['prepare', input, join(outDir, `prepared-${rows}-nodedupe.csv`), '', 'no-dedupe']);
    const line = (job: string, m: Measured) =>
      `${fmt(rows).padEnd(11)} ${job.padEnd(25)} ${(m.ms / 1000).toFixed(2).padStart(7)} ${fmt((rows * 1000) / m.ms).padStart(10)} ${(mib / (m.ms / 1000)).toFixed(0).padStart(7)} ${m.maxRssMiB.toFixed(0).padStart(13)}  ${(m.ms / base.ms).toFixed(2)}x`;
    console.log(line('duckdb read_csv+sha256', base));
    console.log(line('cleanroom prepare (2w)', ours));
    console.log(line('cleanroom prepare (1w)', one));
    console.log(line('prepare (2w, --no-dedupe)', flat));
  }
  const n = 3_000_000;
  const h = measure(['hash-primitive', String(n)]);
  console.log(`hash primitive: node:crypto sha256 hex, one thread: ${fmt((n * 1000) / h.ms)} hashes/s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPrepare(parseSizes(process.argv.slice(2)));
