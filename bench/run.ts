// `npm run bench`: every benchmark, each printing throughput, latency and peak memory
// beside its baseline measured in the same run. Figures go to bench/README.md.
import { benchPrepare } from './prepare.bench.js';

const argv = process.argv.slice(2);
const at = argv.indexOf('--rows');
const sizes = (at === -1 ? '1000000' : argv[at + 1] ?? '1000000').split(',').map((v) => Number(v.replace(/_/g, '')));
await benchPrepare(sizes);
