import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CleanRoomError } from '../../core/errors.js';
import { describeRemaining } from '../../core/privacy/budget/privacy-accounting.js';
import type { Run } from '../../core/collaboration/collaboration.js';
import type { RunPreview } from '../../core/privacy/budget/budget-view.js';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

interface RunFlags extends ClientFlags {
  param: Record<string, unknown>;
  params?: string;
  sql?: string;
  sqlFile?: string;
  preview?: boolean;
}

/**
 * `cleanroom run <collaboration> <analysis> [--param k=v]... [--sql TEXT | --sql-file PATH]
 * [--preview]`, plus `result`, `review` and `audience` for a run already made. A run prints
 * its privacy cost and what remains, or which earlier run's release it reused; `--preview`
 * only says what a run would do (cost, allowed, what would remain, or cached).
 *
 * @example
 * ```ts
 * registerRun(program, io); // cleanroom run c_123 attribution --param lookback_days=14
 * ```
 */
export function registerRun(program: Command, io: CliIo): void {
  withClientOptions(
    program
      .command('run <collaboration> <analysis>')
      .description('Run an analysis the template allows')
      .option('--param <name=value>', 'a parameter (repeat; JSON values such as 14 or ["a"] are parsed)', collectParam, {})
      .option('--params <json>', 'all parameters as one JSON object')
      .option('--sql <text>', 'for a sql analysis: your SELECT (the `sql` parameter)')
      .option('--sql-file <path>', 'for a sql analysis: read your SELECT from a file')
      .option('--preview', 'only say what the run would do: cost, allowed, what would remain, or cached'),
  ).action(async (id: string, analysis: string, flags: RunFlags) => {
    const params = { ...(flags.params !== undefined ? parseParams(flags.params) : {}), ...flags.param };
    const sql = await sqlParam(flags, params);
    if (sql !== undefined) params.sql = sql;
    const client = clientFrom(flags, io);
    const path = `/v1/collaborations/${encodeURIComponent(id)}/runs`;
    if (flags.preview === true) {
      const preview = await client.json<RunPreview>('POST', `${path}/preview`, { analysis, params });
      emit(io, flags, preview, () => describePreview(preview));
      return;
    }
    const run = await client.json<Run>('POST', path, { analysis, params });
    emit(io, flags, run, () => describeRun(run));
  });
  withClientOptions(program.command('result <collaboration> <runId>').description('Show a run and, if you receive it, its result')).action(async (id: string, runId: string, flags: ClientFlags) => {
    const run = await clientFrom(flags, io).json<Run>('GET', `/v1/collaborations/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}`);
    emit(io, flags, run, () => describeRun(run));
  });
  withClientOptions(program.command('review <collaboration> <runId> <decision>').description('Approve or reject a pending run (approved | rejected)')).action(async (id: string, runId: string, decision: string, flags: ClientFlags) => {
    const run = await clientFrom(flags, io).json<Run>('POST', `/v1/collaborations/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/review`, { decision });
    emit(io, flags, run, () => describeRun(run));
  });
  withClientOptions(program.command('audience <collaboration> <runId>').description('Download your activation audience (CSV)').requiredOption('--output <file>', 'where to write it')).action(
    async (id: string, runId: string, flags: ClientFlags & { output: string }) => {
      const csv = await clientFrom(flags, io).text(`/v1/collaborations/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/audience.csv`);
      await writeFile(flags.output, csv, { mode: 0o600 });
      io.stderr.write(`wrote ${csv.split('\n').length - 2} keys to ${flags.output}\n`);
    },
  );
}

function describeRun(run: Run): string {
  const lines = [`run ${run.id}  ${run.analysis}  ${run.status}${run.reason !== null ? ` (${run.reason})` : ''}`];
  for (const [name, t] of Object.entries(run.result?.tables ?? {})) {
    lines.push('', `${name}:`, table(t.rows, t.columns));
    if (t.suppressed.rows === null) lines.push(`(${t.suppressed.reason ?? 'groups below the minimum are never shown'})`);
    else if (t.suppressed.rows > 0) lines.push(`(${t.suppressed.rows} row(s) suppressed: ${t.suppressed.reason ?? 'below the minimum'})`);
    if (t.roundedTo !== null) lines.push(`(counts rounded down to multiples of ${t.roundedTo})`);
    for (const [column, note] of Object.entries(t.noise ?? {})) lines.push(`(${column}: ${note.label}; each row's interval in ${column}.low / ${column}.high with --json)`);
  }
  if (run.result?.summary !== undefined) lines.push('', `summary: ${JSON.stringify(run.result.summary)}`);
  if (run.result?.audience !== undefined) lines.push('', `audience: ${run.result.audience.people} people — cleanroom audience ${run.collaborationId} ${run.id} --output audience.csv`);
  if (run.result === null && run.status !== 'suppressed') lines.push('(no result for you: you do not receive it, or it awaits review)');
  if (run.cachedFrom !== undefined) lines.push('', `cached from ${run.cachedFrom}: the same question over the same data, answered with that release (no privacy cost)`);
  const privacy = run.result?.privacy;
  if (privacy !== undefined) {
    const charged = privacy.charged.epsilon === 0 && privacy.charged.rho === 0 ? 'nothing charged' : `charged ${privacy.cost}`;
    const zcdp = { zcdp: privacy.mechanism === 'gaussian' };
    lines.push(`privacy: a run costs ${privacy.cost}, ${charged}; remaining ${describeRemaining(privacy.remaining.party, zcdp)} for your party, ${describeRemaining(privacy.remaining.collaboration, zcdp)} for the collaboration`);
  }
  return lines.join('\n');
}

function describePreview(p: RunPreview): string {
  const zcdp = { zcdp: p.charged.rho > 0 || (p.cost ?? '').includes('ρ') };
  const head = `preview ${p.analysis}: ${p.allowed ? 'allowed' : 'refused'}`;
  if (p.cached) return `${head} — cached from ${p.cachedFrom}: the earlier release would be returned at no privacy cost${p.remaining === null ? '' : `; remaining ${describeRemaining(p.remaining.party, zcdp)} for your party`}`;
  if (!p.dp) return `${head} — no differential privacy in this collaboration: nothing is charged`;
  if (!p.allowed) return `${head} — ${p.reason ?? 'the privacy budget cannot pay for it'}`;
  const left = p.remaining === null ? '' : `; would leave ${describeRemaining(p.remaining.party, zcdp)} for your party, ${describeRemaining(p.remaining.collaboration, zcdp)} for the collaboration`;
  return `${head} — costs ${p.cost}${left}`;
}

/** The `sql` parameter from --sql or --sql-file (one way only), or undefined. */
async function sqlParam(flags: RunFlags, params: Record<string, unknown>): Promise<string | undefined> {
  const ways = [flags.sql !== undefined && '--sql', flags.sqlFile !== undefined && '--sql-file', params.sql !== undefined && '--param sql / --params'].filter(Boolean);
  if (ways.length > 1) throw new CleanRoomError('invalid_argument', `Cannot set the sql parameter with ${ways.join(' and ')}: give it one way`, { details: { field: 'sql' } });
  if (flags.sql !== undefined) return flags.sql;
  if (flags.sqlFile === undefined) return undefined;
  try {
    return await readFile(flags.sqlFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CleanRoomError('not_found', `Cannot read --sql-file ${flags.sqlFile}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { details: { file: flags.sqlFile, field: 'sql-file' } });
  }
}

function collectParam(value: string, previous: Record<string, unknown>): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CleanRoomError('invalid_argument', `Cannot use --param ${value}: expected name=value`, { details: { field: 'param' } });
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string value.
  }
  return { ...previous, [value.slice(0, eq)]: parsed };
}

function parseParams(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new CleanRoomError('invalid_argument', `Cannot use --params ${json}: expected a JSON object`, { details: { field: 'params' } });
}
