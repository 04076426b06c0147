import { rename, writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { ProfileName } from '../../core/identity/identity-profile.js';
import type { CliIo } from '../cli-io.js';
import type { PrepareScheme } from '../../core/identity/hash-identifier.js';
import { collectMap, loadBlindKeyFile, loadKeyFile, parseCountry, parsePrepareScheme, parseProfile } from '../options.js';
import { formatReport } from '../prepare/format-report.js';
import { prepareFile } from '../../node/prepare/prepare-file.js';

interface PrepareFlags {
  input: string;
  output: string;
  report?: string;
  rejects?: string;
  map?: Record<string, string>;
  profile: ProfileName;
  country: string;
  hash: PrepareScheme;
  keyFile?: string;
  delimiter?: string;
  workers?: string;
  dedupe: boolean;
  json?: boolean;
}

/**
 * `cleanroom prepare`: normalise and hash a customer CSV on the party's own machine.
 * Prints the quality report (or its JSON with --json) and writes it with --report.
 */
export function registerPrepare(program: Command, io: CliIo): void {
  program
    .command('prepare')
    .description('Normalise and hash the identifier columns of a CSV, pass other columns through, remove duplicates, and report what will match')
    .requiredOption('--input <file>', 'the customer CSV (UTF-8, with a header row)')
    .requiredOption('--output <file>', 'where to write the prepared CSV (written atomically)')
    .option('--report <file>', 'also write the report as JSON')
    .option('--rejects <file>', 'write row-level problems (line, column, field, reason) as CSV')
    .option('--map <kind=Header>', 'use this column for this identifier kind (repeatable)', collectMap)
    .option('--profile <name>', 'formatting rules: default, meta, google, uid2', parseProfile, 'default')
    .option('--country <code>', 'default country for phones and postal codes (ISO alpha-2)', parseCountry, 'US')
    .option('--hash <scheme>', 'sha256; hmac with --key-file; or blind (double-blind collaborations) with --key-file from keygen --blind', parsePrepareScheme, 'sha256')
    .option('--key-file <path>', 'HMAC key file (hex or base64, at least 32 bytes), or your blind key file for --hash blind')
    .option('--delimiter <char>', 'field delimiter (default: sniffed from the header: , ; tab |)')
    .option('--workers <n>', 'worker threads (default: one per core; 0 = none)')
    .option('--no-dedupe', 'keep exact duplicate records')
    .option('--json', 'print the report as JSON')
    .action(async (flags: PrepareFlags) => {
      const key = flags.keyFile === undefined ? undefined : flags.hash === 'blind' ? await loadBlindKeyFile(flags.keyFile) : await loadKeyFile(flags.keyFile);
      const bar = io.stderr.isTTY && !flags.json ? new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WritableStream & { isTTY: boolean } as never, format: 'preparing [{bar}] {percentage}% | {value}/{total} MiB | eta {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      let total = 0;
      const report = await prepareFile({
        input: flags.input,
        output: flags.output,
        profile: flags.profile,
        country: flags.country,
        hash: flags.hash,
        dedupe: flags.dedupe,
        ...(flags.rejects !== undefined ? { rejects: flags.rejects } : {}),
        ...(flags.map !== undefined ? { map: flags.map } : {}),
        ...(key !== undefined ? { key } : {}),
        ...(flags.delimiter !== undefined ? { delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter } : {}),
        ...(flags.workers !== undefined ? { workers: Number.parseInt(flags.workers, 10) } : {}),
        ...(bar
          ? {
              onProgress: (done: number, size: number) => {
                if (total === 0) {
                  total = Math.max(1, Math.ceil(size / 1048576));
                  bar.start(total, 0);
                }
                bar.update(Math.floor(done / 1048576));
              },
            }
          : {}),
      }).finally(() => bar?.stop());
      if (flags.report !== undefined) {
        const temp = `${flags.report}.${process.pid}.tmp`;
        await writeFile(temp, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
        await rename(temp, flags.report);
      }
      io.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    });
}
