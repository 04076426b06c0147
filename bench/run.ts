// `npm run bench [-- --rows 1000000]`: every benchmark, each printing throughput, latency and
// peak memory beside its baseline measured in the same run (raw DuckDB SQL, the bare hashing
// primitive, libphonenumber-js alone). Each runs in its own process so that its peak memory is
// its own. Figures go to bench/README.md.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const at = argv.indexOf('--rows');
const rows = at === -1 ? '1000000' : argv[at + 1] ?? '1000000';
const here = import.meta.dirname;
const run = (script: string, args: string[]) => {
  process.stdout.write(`\n$ node ${script} ${args.join(' ')}\n`);
  execFileSync(process.execPath, [join(here, script), ...args], { stdio: 'inherit' });
};
run('prepare.bench.js', ['--rows', rows]);
run('phone.bench.js', ['200000']);
run('engine.bench.js', [rows.split(',')[0]!]);
run('room.bench.js', ['--rows', rows.split(',')[0]!]);
run('dp.bench.js', ['--rows', rows.split(',')[0]!]);
run('difference.bench.js', ['--rows', rows.split(',')[0]!]);
run('graph.bench.js', ['--people', String(Math.floor(Number(rows.split(',')[0]!) / 2))]);
run('at-rest.bench.js', ['--rows', rows.split(',')[0]!]);
