import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { ApiClient } from './api-client.js';

/** The flags every client command takes. */
export interface ClientFlags {
  server?: string;
  apiKey?: string;
  json?: boolean;
}

/**
 * Adds `--server`, `--api-key` and `--json` to a client command.
 *
 * @example
 * ```ts
 * withClientOptions(program.command('metrics')).action(...);
 * ```
 */
export function withClientOptions(command: Command): Command {
  return command
    .option('--server <url>', 'the cleanroom server (default: CLEANROOM_SERVER or http://127.0.0.1:8080)')
    .option('--api-key <key>', 'your API key (default: CLEANROOM_API_KEY)')
    .option('--json', 'print JSON for scripts');
}

/**
 * The API client for a command's flags: the key from `--api-key` or `CLEANROOM_API_KEY`.
 *
 * @example
 * ```ts
 * const client = clientFrom(flags, io);
 * ```
 */
export function clientFrom(flags: ClientFlags, io: CliIo): ApiClient {
  const apiKey = flags.apiKey ?? io.env.CLEANROOM_API_KEY;
  if (apiKey === undefined || apiKey === '') {
    throw new CleanRoomError('invalid_argument', 'Cannot call the server without a key: pass --api-key or set CLEANROOM_API_KEY', { details: { field: 'api-key' } });
  }
  return new ApiClient({ server: flags.server ?? io.env.CLEANROOM_SERVER ?? 'http://127.0.0.1:8080', apiKey });
}

/**
 * Prints a value as JSON (with `--json`) or through a human formatter.
 *
 * @example
 * ```ts
 * emit(io, flags, body, () => table(rows, ['id', 'name']));
 * ```
 */
export function emit(io: CliIo, flags: ClientFlags, value: unknown, human: () => string): void {
  io.stdout.write(flags.json === true ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/**
 * A plain-text table: a header, a rule, one line per row, columns padded.
 *
 * @example
 * ```ts
 * table([{ id: 'p_1', name: 'Acme' }], ['id', 'name']); // 'id   name\n---  ----\np_1  Acme'
 * ```
 */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
