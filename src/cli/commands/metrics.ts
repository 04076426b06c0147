import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { clientFrom, emit, table, withClientOptions } from '../client/client-options.js';
import type { ClientFlags } from '../client/client-options.js';

interface Metrics {
  collaborations: number;
  runs: number;
  refusals: number;
  incidents: number;
  suppressedRuns: number;
  averageMatchRate: number | null;
  byCollaboration: { id: string; template: string; members: number; attested: number; datasets: number; runs: { total: number; byStatus: Record<string, number> }; refusals: number | null; incidents: number | null; suppressedTables: number; matchRate: Record<string, number> | null }[];
}

/**
 * `cleanroom metrics` (operator): collaborations, runs, refusals, suppressions, match rates.
 *
 * @example
 * ```ts
 * registerMetrics(program, io); // cleanroom metrics --api-key $OPERATOR_KEY
 * ```
 */
export function registerMetrics(program: Command, io: CliIo): void {
  withClientOptions(program.command('metrics').description('Operator metrics: collaborations, runs, refusals, suppressions, match rates')).action(async (flags: ClientFlags) => {
    const m = await clientFrom(flags, io).json<Metrics>('GET', '/v1/metrics');
    emit(io, flags, m, () =>
      [
        `${m.collaborations} collaborations, ${m.runs} runs, ${m.refusals} refusals, ${m.incidents} incidents, ${m.suppressedRuns} suppressed runs, average match rate ${m.averageMatchRate === null ? 'n/a' : `${(m.averageMatchRate * 100).toFixed(1)}%`}`,
        '',
        table(
          m.byCollaboration.map((c) => ({ ...c, runs: c.runs.total, statuses: Object.entries(c.runs.byStatus).map(([k, v]) => `${k}:${v}`).join(' '), matchRate: c.matchRate === null ? '' : Object.entries(c.matchRate).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ') })),
          ['id', 'template', 'members', 'attested', 'datasets', 'runs', 'statuses', 'refusals', 'incidents', 'suppressedTables', 'matchRate'],
        ),
      ].join('\n'),
    );
  });
}
