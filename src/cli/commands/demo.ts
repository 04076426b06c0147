import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { getProfile } from '../../core/identity/profiles.js';
import { dataDirHeld } from '../../node/store/data-dir-lock.js';
import { startServer } from '../../server/main.js';
import type { CliIo } from '../cli-io.js';
import { generateCustomers } from '../demo/generate-customers.js';
import { seedDemo } from '../demo/seed-demo.js';
import { formatReport } from '../prepare/format-report.js';
import { prepareFile } from '../../node/prepare/prepare-file.js';
import { templatesDir } from '../templates-dir.js';

interface DemoFlags {
  dir: string;
  rows: string;
  people: string;
  port: string;
  exit?: boolean;
}

/**
 * `cleanroom demo` (what `npm start` runs): first what a party does on its own machine —
 * a messy customer file prepared, with its report — then the clean room itself: a server
 * on 127.0.0.1 seeded through its API with a retailer, a publisher and an insurer, their
 * collaborations, prepared uploads and first runs. Prints the URL and each party's key and
 * serves until Ctrl-C (or exits after seeding with --exit).
 */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('Prepare a messy customer file, then start a seeded clean room with three demo parties')
    .option('--dir <path>', 'where to write the demo files and the demo server data (wiped at start)', '.cleanroom/demo')
    .option('--rows <n>', 'rows in the generated customer file', '100000')
    .option('--people <n>', 'people per party in the seeded collaborations', '100000')
    .option('--port <n>', 'port of the demo server (0: any free port)', '8080')
    .option('--exit', 'exit after seeding instead of serving')
    .action(async (flags: DemoFlags) => {
      // The demo starts from a clean directory; never wipe one a running demo server holds.
      if (await dataDirHeld(join(flags.dir, 'server'))) {
        throw new CleanRoomError('conflict', `Cannot start the demo in ${flags.dir}: a demo server is already running there. Stop it (Ctrl-C), or use --dir for another directory`, { details: { field: 'dir' } });
      }
      await rm(flags.dir, { recursive: true, force: true });
      await mkdir(flags.dir, { recursive: true });
      const input = join(flags.dir, 'customers.csv');
      const rows = Number.parseInt(flags.rows, 10);
      io.stdout.write(`1. A party prepares its own customer file (${rows.toLocaleString('en-US')} messy rows) on its own machine:\n`);
      await generateCustomers(input, { rows, seed: 2026 });
      const report = await prepareFile({ input, output: join(flags.dir, 'prepared.csv'), rejects: join(flags.dir, 'rejects.csv') });
      io.stdout.write(`\n${formatReport(report)}\n`);
      const profile = getProfile('default');
      io.stdout.write('The same person written two ways, after normalisation:\n');
      for (const [kind, a, b] of [
        ['email', 'John.Smith@GMAIL.com ', 'johnsmith@gmail.com'],
        ['phone', '(650) 555-1212', '+1 650 555 1212'],
      ] as const) {
        for (const value of [a, b]) {
          const n = profile.normalize(kind, value, { defaultCountry: 'US' });
          io.stdout.write(`  ${JSON.stringify(value).padEnd(24)} -> ${n.ok ? n.value : `invalid: ${n.reason}`}\n`);
        }
      }

      io.stdout.write('\n2. The clean room: starting a server and seeding it through its API...\n');
      const options = { dataDir: join(flags.dir, 'server'), templatesDir: templatesDir(), webDir: join(dirname(templatesDir()), 'web', 'dist'), host: '127.0.0.1', env: io.env, out: io.stderr, logTo: { write: () => true } };
      const wanted = Number.parseInt(flags.port, 10);
      const server = await startServer({ ...options, port: wanted }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        io.stdout.write(`  port ${wanted} is busy; using a free one\n`);
        return startServer({ ...options, port: 0 });
      });
      try {
        const parties = await seedDemo({ url: server.url, operatorKey: server.operatorKey, dir: flags.dir, people: Number.parseInt(flags.people, 10), log: (line) => io.stdout.write(`  ${line}\n`) });
        io.stdout.write(`\ncleanroom is running at ${server.url}\nSign in with a party's key (the operator's shows metrics and parties, never data):\n`);
        for (const p of parties) io.stdout.write(`  ${p.name.padEnd(20)} ${p.apiKey}\n`);
        io.stdout.write(`  ${'operator'.padEnd(20)} ${server.operatorKey}\n`);
        if (flags.exit) return;
        io.stdout.write('Ctrl-C stops it.\n');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
      } finally {
        await server.close();
      }
    });
}
