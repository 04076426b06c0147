import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { getProfile } from '../../core/identity/profiles.js';
import type { CliIo } from '../cli-io.js';
import { generateCustomers } from '../demo/generate-customers.js';
import { formatReport } from '../prepare/format-report.js';
import { prepareFile } from '../prepare/prepare-file.js';
import { demoCollaboration } from '../demo/demo-collaboration.js';
import { templatesDir } from '../templates-dir.js';

/**
 * `cleanroom demo`: what a party does first, on its own machine. Generates a messy
 * customer file, prepares it (normalise + hash, duplicates removed) and prints the
 * report, shows how the same person written two ways comes out identical, then runs a
 * publisher x retailer attribution collaboration through the room.
 */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('Generate a messy customer file, prepare it on this machine, and show the report')
    .option('--dir <path>', 'where to write the demo files', '.cleanroom/demo')
    .option('--rows <n>', 'rows in the generated customer file', '100000')
    .action(async (flags: { dir: string; rows: string }) => {
      await mkdir(flags.dir, { recursive: true });
      const input = join(flags.dir, 'customers.csv');
      const rows = Number.parseInt(flags.rows, 10);
      io.stdout.write(`Generating ${rows.toLocaleString('en-US')} messy customer rows in ${input} ...\n`);
      await generateCustomers(input, { rows, seed: 2026 });
      const report = await prepareFile({ input, output: join(flags.dir, 'prepared.csv'), rejects: join(flags.dir, 'rejects.csv') });
      io.stdout.write(`\n${formatReport(report)}\n`);
      const profile = getProfile('default');
      io.stdout.write('The same person written two ways, after normalisation:\n');
      for (const [kind, a, b] of [
        ['email', 'John.Smith@GMAIL.com ', 'johnsmith@gmail.com'],
        ['phone', '(650) 555-1212', '+1 650 555 1212'],
      ] as const) {
        const na = profile.normalize(kind, a, { defaultCountry: 'US' });
        const nb = profile.normalize(kind, b, { defaultCountry: 'US' });
        io.stdout.write(`  ${JSON.stringify(a)} -> ${na.ok ? na.value : `invalid: ${na.reason}`}\n  ${JSON.stringify(b)} -> ${nb.ok ? nb.value : `invalid: ${nb.reason}`}\n`);
      }
      io.stdout.write(`\n${await demoCollaboration({ dir: flags.dir, templatesDir: templatesDir(), people: Math.max(2_000, Math.round(rows / 2)) })}`);
      io.stdout.write(`\nNext: try it on your own file:\n  npx cleanroom prepare --input your.csv --output prepared.csv --report report.json --rejects rejects.csv\n  echo ' John.Smith@GMAIL.com' | npx cleanroom normalize email --json\n`);
    });
}
