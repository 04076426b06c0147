import type { Cell, RoomStore } from '../engine-port.js';
import { compileActivation } from './activation.js';
import { compileAggregate } from './aggregate.js';
import { compileAttribution } from './attribution.js';
import type { CompiledAnalysis } from './compiled-analysis.js';
import { compileLift, liftGroups } from './lift.js';
import { compileOverlap } from './overlap.js';
import { runDpAnalysis } from './dp/run-dp-analysis.js';
import { executeSqlAnalysis } from './sql/execute-sql-analysis.js';
import { guardAudience } from '../privacy/guard-audience.js';
import { guardLift } from '../privacy/guard-lift.js';
import { guardPolicyOf } from '../privacy/guard-policy.js';
import { DifferenceCheck } from '../privacy/difference/difference-check.js';
import type { ReleaseMemory } from '../privacy/difference/release-memory.js';
import type { GuardedTable } from '../privacy/guard-result.js';
import type { AnalysisParams, Template } from '../template/index.js';
import type { AnalysisOutcome } from './analysis-outcome.js';
import { audienceTable, ident } from '../room-schema/room-sql.js';
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
  /**
   * The collaboration's release memory: required by every thresholded kind but activation
   * (the difference check compares each row with what was released before); the caller
   * holds the collaboration's `comparing` lock around the run.
   */
  memory?: ReleaseMemory;
}

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
  const policy = guardPolicyOf(template);
  if (template.privacy.dp !== null && (analysis.kind === 'aggregate' || analysis.kind === 'overlap' || analysis.kind === 'attribution' || analysis.kind === 'lift')) {
    // Differential privacy replaces the thresholds: no minimum is applied to true counts.
    const { tables, main, summary, suppressedReason } = await runDpAnalysis(room, template, analysisName, params, options.rng ?? cryptoRandomSource());
    const result = outcome(tables, tables[main]!);
    if (summary !== undefined) result.result.summary = summary;
    return suppressedReason === undefined ? result : { ...result, status: 'suppressed', reason: suppressedReason };
  }
  if (template.privacy.dp !== null && analysis.kind === 'sql') {
    // Custom SQL under DP: bounded and noisy (see dp-query.ts), nothing to compare.
    return executeSqlAnalysis(room, template, analysisName, params, sqlOptionsOf(options));
  }
  if (analysis.kind === 'activation') {
    // An audience is never compared: it goes to its owner only, as ids of its own users.
    const compiled = compileActivation(template, analysisName, params);
    const counted = await room.query(compiled.count.sql, compiled.count.params);
    const audience = guardAudience(Number(counted.rows[0]?.people ?? 0), policy);
    if (!audience.released) return { status: 'suppressed', reason: audience.reason, result: { tables: {} } };
    await room.execute([{ sql: `CREATE TABLE ${ident(audienceTable(runId))} AS ${compiled.audience.sql}`, params: compiled.audience.params }]);
    return { status: 'released', reason: null, result: { tables: {}, audience: { people: audience.people, dataset: compiled.audienceDataset } } };
  }
  // Thresholded tables are also checked against every row the collaboration released before.
  if (options.memory === undefined) throw new CleanRoomError('internal', `Cannot run ${analysisName}: no release memory for the difference check`);
  const check = DifferenceCheck.open(options.memory, policy, { runId, analysis: analysisName });
  const released = await compared(room, template, analysisName, params, check, options);
  await check.commit();
  return released;
}

async function compared(room: RoomStore, template: Template, analysisName: string, params: AnalysisParams, check: DifferenceCheck, options: ExecuteOptions): Promise<AnalysisOutcome> {
  const analysis = template.analyses[analysisName]!;
  const policy = guardPolicyOf(template);
  const sketch = check.settings;
  switch (analysis.kind) {
    case 'overlap': {
      const compiled = compileOverlap(template, analysisName, params, sketch);
      const tables = {
        overall: await guarded(room, 'overall', compiled.overall, check),
        byKey: await guarded(room, 'byKey', compiled.byKey, check),
        populations: await guarded(room, 'populations', compiled.populations, check),
      };
      return outcome(tables, tables.overall);
    }
    case 'aggregate': {
      const table = await guarded(room, analysisName, compileAggregate(template, analysisName, params, sketch), check);
      return outcome({ [analysisName]: table }, table);
    }
    case 'attribution': {
      const table = await guarded(room, analysisName, compileAttribution(template, analysisName, params, sketch), check);
      return outcome({ [analysisName]: table }, table);
    }
    case 'lift': {
      const compiled = compileLift(template, analysisName, params, sketch);
      const arms = await guarded(room, analysisName, compiled, check);
      const dims = compiled.shape.dimensions.filter((d) => d !== 'arm');
      // The per-person sums of squares only feed the interval; they are not released.
      const { groups, table, reason } = guardLift(arms, liftGroups(arms.rows, dims), { dimensions: dims, hidden: ['revenue_squares'], policy });
      const result = outcome({ [analysisName]: table }, table);
      result.result.summary = { groups };
      return reason === null ? result : { ...result, status: 'suppressed', reason };
    }
    case 'activation':
      throw new CleanRoomError('internal', `Cannot compare activation ${analysisName}: it is not a table`);
    case 'sql': {
      return executeSqlAnalysis(room, template, analysisName, params, { ...sqlOptionsOf(options), check });
    }
  }
}

/** What custom SQL takes of the run's options. */
function sqlOptionsOf(options: ExecuteOptions): { runnerRoles: readonly string[]; rng?: RandomSource } {
  return { runnerRoles: options.runnerRoles ?? [], ...(options.rng !== undefined ? { rng: options.rng } : {}) };
}

async function guarded(room: RoomStore, name: string, compiled: CompiledAnalysis, check: DifferenceCheck): Promise<GuardedTable> {
  const { rows } = await room.query(compiled.sql, compiled.params);
  const shaped: Record<string, Cell>[] = compiled.transform ? compiled.transform(rows) : rows.map((row) => ({ ...row }));
  return check.guard(name, shaped, compiled.shape);
}

function outcome(tables: Record<string, GuardedTable>, main: GuardedTable): AnalysisOutcome {
  const suppressed = main.rows.length === 0;
  return {
    status: suppressed ? 'suppressed' : 'released',
    // A released grouped table's standing note is not a reason; a suppressed one's is.
    reason: suppressed ? (main.suppressed.reason ?? 'no rows') : main.suppressed.rows === null ? null : main.suppressed.reason,
    result: { tables },
  };
}

