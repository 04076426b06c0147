// The server of bench/load.bench.ts in its own process, so that the 50 clients' own work
// (HTTP, JSON) does not share its event loop. Prints one JSON line { url, operatorKey } once
// listening; stops on SIGTERM. Rate limits are lifted: the benchmark measures the room.
import { startServer } from '../src/server/main.js';

const [dataDir, templatesDir] = process.argv.slice(2);
const server = await startServer({
  dataDir: dataDir!,
  templatesDir: templatesDir!,
  port: 0,
  env: {},
  out: { write: () => true } as unknown as NodeJS.WritableStream,
  logTo: { write: () => undefined } as never,
  limits: { rateBurst: 1e6, ratePerSecond: 1e6, runsConcurrent: 4, runsQueued: 1000 },
});
process.stdout.write(`${JSON.stringify({ url: server.url, operatorKey: server.operatorKey })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
