// `npm run bench:dp [-- --reps 2000] [-- --rows 1000000,10000000] [-- --repeats 5]`: differential
// privacy (issue #5). First the accuracy table (pure: the real samplers over
// cryptoRandomSource()), then the room's run latency with and without DP beside raw DuckDB,
// each size in its own process so that its peak memory is its own. `--skip-room` or
// `--skip-accuracy` leave a part out.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { printAccuracyTable } from './dp-accuracy-table.js';
import { benchDpRoom } from './dp-room.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1] ?? fallback;
};
const flag = (name: string): boolean => process.argv.includes(name);
const root = resolve(import.meta.dirname, '../..');

if (import.meta.url === `file://${process.argv[1]}`) {
  const child = arg('--room-child', '');
  if (child !== '') {
    await benchDpRoom(root, Number(child), Number(arg('--repeats', '5')));
  } else {
    if (!flag('--skip-accuracy')) printAccuracyTable(Number(arg('--reps', '2000')));
    if (!flag('--skip-room')) {
      for (const rows of arg('--rows', '1000000').replace(/_/g, '').split(',')) {
        const repeats = arg('--repeats', Number(rows) >= 5_000_000 ? '3' : '5');
        process.stdout.write(`\n$ node dp.bench.js --room-child ${rows} --repeats ${repeats}\n`);
        execFileSync(process.execPath, [process.argv[1]!, '--room-child', rows, '--repeats', repeats], { stdio: 'inherit' });
      }
    }
  }
}
