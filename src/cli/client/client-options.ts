import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { ApiClient } from './api-client.js';
import { trustingFetch } from './trusting-fetch.js';

/** The flags every client command takes. */
export interface ClientFlags {
  server?: string;
  apiKey?: string;
  caFile?: string;
  json?: boolean;
}

/**
 * Adds `--server`, `--api-key`, `--ca-file` and `--json` to a client command.
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
    .option('--ca-file <file>', 'a PEM CA certificate (or the self-signed server certificate) to trust for https servers, besides the system roots (default: CLEANROOM_CA_FILE)')
    .option('--json', 'print JSON for scripts');
}

/**
 * The API client for a command's flags: the key from `--api-key` or `CLEANROOM_API_KEY`;
 * an extra trusted CA from `--ca-file` or `CLEANROOM_CA_FILE` (certificates are always verified).
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
  const caFile = flags.caFile ?? io.env.CLEANROOM_CA_FILE;
  const server = flags.server ?? io.env.CLEANROOM_SERVER ?? 'http://127.0.0.1:8080';
  return new ApiClient({ server, apiKey, ...(caFile !== undefined && caFile !== '' ? { fetch: trustingFetch(readCaFile(caFile)) } : {}) });
}

function readCaFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CleanRoomError(code === 'ENOENT' ? 'not_found' : 'io_error', `Cannot read CA file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { details: { field: 'ca-file', file } });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CleanRoomError('invalid_input', `Cannot read CA file ${file} as PEM: no "-----BEGIN CERTIFICATE-----" block found`, { details: { field: 'ca-file', file } });
  }
  return text;
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
