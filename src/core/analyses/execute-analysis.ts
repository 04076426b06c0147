import type { Cell, RoomStore } from '../engine-port.js';
import { compileActivation } from './activation.js';
import { compileAggregate } from './aggregate.js';
import { compileAttribution } from './attribution.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import { compileLift, liftGroups, liftReleasable } from './lift.js';
import { compileOverlap } from './overlap.js';
import { runDpAnalysis } from './dp/run-dp-analysis.js';
import { executeSqlAnalysis } from './sql/execute-sql-analysis.js';
import { guardResult } from '../privacy/guard-result.js';
import type { GuardPolicy, GuardedTable } from '../privacy/guard-result.js';
import type { AnalysisParams, Template } from '../template/index.js';
import type { AnalysisOutcome } from './analysis-outcome.js';
import { ident } from '../room-schema/room-sql.js';
import { CleanRoomError } from '../errors.js';
import { cryptoRandomSource, type RandomSource } from '../privacy/dp/random-source.js';

/**
 * Options of {@link executeAnalysis}.
 *
 * @example
 * ```ts
 * const options: ExecuteOptions = { rng: seededRandomSource(7) }; // tests only; runs default to cryptoRandomSource()
 * ```
 */
export interface ExecuteOptions {
  /** Where DP noise and the per-run bounding seed come from; default {@link cryptoRandomSource} (tests pass a seeded one). */
  rng?: RandomSource;
  /** The roles of the party that runs it (custom SQL checks it joins its own data). */
  runnerRoles?: readonly string[];
}

/** The largest audience one activation run may hold. */
const MAX_AUDIENCE = 5_000_000;

/**
 * Runs one analysis in the room's sandbox and passes every table through the guard.
 * Nothing here decides who may run or receive: the caller has checked that.
 *
 * When the template turns differential privacy on, aggregate and overlap take the DP path
 * instead of the thresholds ({@link runDpAnalysis}: contribution bounding in SQL, noise from
 * `options.rng`, partition selection for private keys; `minPeople` is not applied to true
 * counts). It spends exactly what `analysisCost` says; the caller charges the ledger before
 * releasing.
 *
 * @example
 * ```ts
 * const outcome = await executeAnalysis(room, template, 'attribution', params, 'run_1');
 * outcome.result.tables.attribution?.rows;
 * await executeAnalysis(room, dpTemplate, 'spend', params, 'run_2', { rng: cryptoRandomSource() }); // noisy tables
 * ```
 */
export async function executeAnalysis(
  room: RoomStore,
  template: Template,
  analysisName: string,
  params: AnalysisParams,
  runId: string,
  options: ExecuteOptions = {},
): Promise<AnalysisOutcome> {
  const analysis = template.analyses[analysisName]!;
  const policy: GuardPolicy = { minPeople: template.privacy.minPeople, rounding: template.privacy.rounding };
  if (template.privacy.dp !== null && (analysis.kind === 'aggregate' || analysis.kind === 'overlap' || analysis.kind === 'attribution' || analysis.kind === 'lift')) {
    // Differential privacy replaces the thresholds: no minimum is applied to true counts.
    const { tables, main, summary, suppressedReason } = await runDpAnalysis(room, template, analysisName, params, options.rng ?? cryptoRandomSource());
    const result = outcome(tables, tables[main]!);
    if (summary !== undefined) result.result.summary = summary;
    return suppressedReason === undefined ? result : { ...result, status: 'suppressed', reason: suppressedReason };
  }
  switch (analysis.kind) {
    case 'overlap': {
      const compiled = compileOverlap(template, analysisName, params);
      const tables = {
        overall: await guarded(room, compiled.overall, policy),
        byKey: await guarded(room, compiled.byKey, policy),
        populations: await guarded(room, compiled.populations, policy),
      };
      return outcome(tables, tables.overall);
    }
    case 'aggregate': {
      const table = await guarded(room, compileAggregate(template, analysisName, params), policy);
      return outcome({ [analysisName]: table }, table);
    }
    case 'attribution': {
      const table = await guarded(room, compileAttribution(template, analysisName, params), policy);
      return outcome({ [analysisName]: table }, table);
    }
    case 'lift': {
      const compiled = compileLift(template, analysisName, params);
      const arms = await guarded(room, compiled, policy);
      const dims = compiled.shape.dimensions.filter((d) => d !== 'arm');
      const groups = liftGroups(arms.rows, dims).filter((g) => liftReleasable(g, policy.minPeople));
      // The per-person sums of squares only feed the interval; they are not released.
      const released: GuardedTable = { ...arms, columns: arms.columns.filter((c) => c !== 'revenue_squares'), rows: arms.rows.filter((row) => groups.some((g) => dims.every((d) => g.group[d] === row[d]))).map(({ revenue_squares: _, ...row }) => row) };
      const result = outcome({ [analysisName]: released }, released);
      result.result.summary = { groups };
      if (groups.length === 0 && arms.rows.length > 0) {
        return { ...result, status: 'suppressed', reason: `exposed and holdout converters together are fewer than ${policy.minPeople}` };
      }
      return result;
    }
    case 'activation': {
      const compiled = compileActivation(template, analysisName, params);
      const counted = await room.query(compiled.count.sql, compiled.count.params);
      const people = Number(counted.rows[0]?.people ?? 0);
      if (people < policy.minPeople) {
        return { status: 'suppressed', reason: `the audience covers fewer than ${policy.minPeople} people`, result: { tables: {} } };
      }
      await room.execute([{ sql: `CREATE TABLE ${ident(audienceTable(runId))} AS ${compiled.audience.sql}`, params: compiled.audience.params }]);
      return { status: 'released', reason: null, result: { tables: {}, audience: { people: roundDown(people, policy), dataset: compiled.audienceDataset } } };
    }
    case 'sql':
      return executeSqlAnalysis(room, template, analysisName, params, { runnerRoles: options.runnerRoles ?? [], ...(options.rng !== undefined ? { rng: options.rng } : {}) });
  }
}

/**
 * The room table holding an activation run's audience.
 *
 * @example
 * ```ts
 * audienceTable('run_7'); // 'audience__run_7'
 * ```
 */
export function audienceTable(runId: string): string {
  return `audience__${runId.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
}

/** Reads an activation run's audience: its owner's person keys. */
export async function readAudience(room: RoomStore, runId: string): Promise<string[]> {
  const result = await room.query(`SELECT person_key FROM ${ident(audienceTable(runId))} ORDER BY 1`, [], { maxRows: MAX_AUDIENCE });
  return result.rows.map((row) => String(row.person_key));
}

async function guarded(room: RoomStore, compiled: CompiledAnalysis, policy: GuardPolicy): Promise<GuardedTable> {
  const { rows } = await room.query(compiled.sql, compiled.params);
  const shaped: Record<string, Cell>[] = compiled.transform ? compiled.transform(rows) : rows.map((row) => ({ ...row }));
  return guardResult(shaped, compiled.shape, policy);
}

function outcome(tables: Record<string, GuardedTable>, main: GuardedTable): AnalysisOutcome {
  const suppressed = main.rows.length === 0;
  return {
    status: suppressed ? 'suppressed' : 'released',
    reason: suppressed ? (main.suppressed.reason ?? 'no rows') : main.suppressed.reason,
    result: { tables },
  };
}

function roundDown(value: number, policy: GuardPolicy): number {
  return policy.rounding === null ? value : Math.floor(value / policy.rounding.to) * policy.rounding.to;
}
