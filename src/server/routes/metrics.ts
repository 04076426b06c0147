import { Hono } from 'hono';
import type { Run } from '../../core/collaboration/collaboration.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireOperator } from '../auth/authenticate.js';

/** One collaboration's figures in the operator's metrics: counts and rates, never data. */
export interface CollaborationMetrics {
  id: string;
  template: string;
  createdAt: string;
  members: number;
  attested: number;
  datasets: number;
  /** Its room and stored files sealed at rest (docs/encryption.md). */
  encryptedAtRest: boolean;
  runs: { total: number; byStatus: Record<string, number>; byDay: Record<string, number> };
  refusals: number | null;
  /** Uploads a few people apart from the version before (the re-upload differencing pattern), from the audit log. */
  incidents: number | null;
  suppressedTables: number;
  /** The last run's match rate per dataset, where a run reported one. */
  matchRate: Record<string, number> | null;
}

/**
 * `GET /v1/metrics`, for the operator: collaborations, runs per collaboration and day,
 * refusals (from the audit log) and suppressions, match rates where a run reported them.
 *
 * @example
 * ```ts
 * app.route('/v1/metrics', metricsRoutes(deps));
 * ```
 */
export function metricsRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireOperator(c.get('caller'));
    const collaborations: CollaborationMetrics[] = [];
    for (const collaboration of await deps.store.listCollaborations()) {
      const runs = await deps.store.listRuns(collaboration.id);
      const events = deps.auditEvents === undefined ? undefined : await deps.auditEvents(collaboration.id);
      collaborations.push({
        id: collaboration.id,
        template: collaboration.template.name,
        createdAt: collaboration.createdAt,
        members: new Set(Object.values(collaboration.members)).size,
        attested: new Set(collaboration.attestations.map((a) => a.party)).size,
        datasets: Object.keys(collaboration.datasets).length,
        encryptedAtRest: collaboration.encryptedAtRest === true,
        runs: runFigures(runs),
        refusals: events === undefined ? null : events.filter((e) => e.decision === 'refused').length,
        incidents: events === undefined ? null : events.filter((e) => e.action === 'upload' && e.params?.peopleChange === 'few').length,
        // Grouped tables do not tell how many rows they held back (SuppressionReport): only one-row tables count here.
        suppressedTables: runs.reduce((n, r) => n + Object.values(r.result?.tables ?? {}).filter((t) => (t.suppressed.rows ?? 0) > 0).length, 0),
        matchRate: lastMatchRate(runs),
      });
    }
    const rates = collaborations.flatMap((x) => Object.values(x.matchRate ?? {}));
    return c.json({
      collaborations: collaborations.length,
      runs: collaborations.reduce((n, x) => n + x.runs.total, 0),
      refusals: collaborations.reduce((n, x) => n + (x.refusals ?? 0), 0),
      incidents: collaborations.reduce((n, x) => n + (x.incidents ?? 0), 0),
      suppressedRuns: collaborations.reduce((n, x) => n + (x.runs.byStatus.suppressed ?? 0), 0),
      averageMatchRate: rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0) / rates.length,
      byCollaboration: collaborations,
    });
  });
  return app;
}

function runFigures(runs: Run[]): CollaborationMetrics['runs'] {
  const byStatus: Record<string, number> = {};
  const byDay: Record<string, number> = {};
  for (const run of runs) {
    byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
    const day = run.at.slice(0, 10);
    byDay[day] = (byDay[day] ?? 0) + 1;
  }
  return { total: runs.length, byStatus, byDay };
}

function lastMatchRate(runs: Run[]): Record<string, number> | null {
  const rated = runs.map((run) => ({ at: run.at, rate: matchRateOf(run) })).filter((r) => r.rate !== null).sort((a, b) => (a.at < b.at ? -1 : 1));
  return rated.at(-1)?.rate ?? null;
}

/** A run's match rate per dataset: its match report, or an overlap's released overall shares. */
function matchRateOf(run: Run): Record<string, number> | null {
  if (run.result?.match !== undefined) return run.result.match.rate;
  const overall = run.kind === 'overlap' ? run.result?.tables.overall : undefined;
  if (overall === undefined || overall.rows.length !== 1) return null;
  const rate: Record<string, number> = {};
  for (const [column, value] of Object.entries(overall.rows[0]!)) {
    if (column.startsWith('share_of_') && typeof value === 'number') rate[column.slice('share_of_'.length)] = value;
  }
  return Object.keys(rate).length > 0 ? rate : null;
}
