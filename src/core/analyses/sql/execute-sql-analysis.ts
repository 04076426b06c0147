import { checkCustomSql } from '../../custom-sql/index.js';
import type { CheckedQuery } from '../../custom-sql/index.js';
import type { RoomStore } from '../../engine-port.js';
import { CleanRoomError } from '../../errors.js';
import { cryptoRandomSource } from '../../privacy/dp/random-source.js';
import type { RandomSource } from '../../privacy/dp/random-source.js';
import { releaseNoisyTable } from '../../privacy/dp/release-table.js';
import type { GuardedTable } from '../../privacy/guard-result.js';
import { guardPolicyOf } from '../../privacy/guard-policy.js';
import { guardThresholded, guardThresholdedWith } from '../../privacy/guard-thresholded.js';
import type { DifferenceCheck } from '../../privacy/difference/difference-check.js';
import { sketchColumnNames, sketchSelect } from '../../privacy/difference/population-sketch.js';
import type { SketchSettings } from '../../privacy/difference/population-sketch.js';
import type { AnalysisOutcome } from '../analysis-outcome.js';
import { validateParams } from '../../template/index.js';
import type { AnalysisParams, SqlAnalysis, Template } from '../../template/index.js';
import { aggregationRulesFor } from './aggregation-rules-for.js';
import { bindQueryParams } from './bind-query-params.js';
import { dpQuery } from './dp-query.js';
import { runSeed } from '../dp/bounding/run-seed.js';
import { refusal, refusedQuery } from './refused-query.js';
import { personNodes } from './person-nodes.js';
import type { SqlNode } from './sql-tree.js';
import { thresholdQuery } from './threshold-query.js';

/**
 * Options of {@link executeSqlAnalysis}.
 *
 * @example
 * ```ts
 * const options: SqlRunOptions = { runnerRoles: ['retailer'] };
 * ```
 */
export interface SqlRunOptions {
  /** The running party's roles: datasets of other roles' parties are protected. */
  runnerRoles: readonly string[];
  /** Randomness for the DP seed and noise; default the cryptographic source. */
  rng?: RandomSource;
  /** The run's difference check (thresholded rooms): each protected party's people are sketched and checked. */
  check?: DifferenceCheck;
}

/**
 * Runs one sql analysis: the runner's own SQL (`params.sql`) or the analysis's pre-approved
 * query with its typed parameters bound as constants in the parsed tree. The tree is parsed
 * by the engine and checked against the aggregation rules built for the runner; a refusal is
 * raised before anything runs (code 'refused', `details.refusal` naming rule, node and
 * column). Then, on the checked tree:
 *
 * - without DP, each output row is released only when every protected party (the datasets
 *   of other parties than the runner's; all of them when the runner owns every one) has at
 *   least `privacy.minPeople` distinct people behind it: hidden `count(DISTINCT person)`
 *   outputs are appended, the tree is re-emitted by the engine and run in the sandbox, and
 *   the rows pass the release guard (complementary suppression, rounding); the hidden
 *   counts are never released;
 * - under `privacy.dp`, the aggregates are rewritten with per-person contribution bounding
 *   and released as a noisy table with 95% intervals (see {@link dpQuery}); the run spends
 *   exactly the analysis's cost, which the caller charges before release.
 *
 * @example
 * ```ts
 * const outcome = await executeSqlAnalysis(room, template, 'custom_sql', { sql: 'SELECT r.segment, count(*) AS n FROM readers r JOIN purchases p ON r.email = p.email GROUP BY r.segment' }, { runnerRoles: ['retailer'] });
 * outcome.result.tables.custom_sql?.rows; // [{ segment: 'news', n: 412 }, …]
 * ```
 */
export async function executeSqlAnalysis(room: RoomStore, template: Template, analysisName: string, params: AnalysisParams, options: SqlRunOptions): Promise<AnalysisOutcome> {
  const { rng = cryptoRandomSource() } = options;
  const { plan, persons } = await checkedSql(room, template, analysisName, params, options.runnerRoles);
  const table = template.privacy.dp === null ? await thresholded(room, template, analysisName, plan, persons, options.check) : await noisy(room, template, analysisName, plan, persons, rng);
  const empty = table.rows.length === 0;
  return {
    status: empty ? 'suppressed' : 'released',
    reason: empty ? (table.suppressed.reason ?? (table.selection?.kind === 'noisy_threshold' ? 'no group passed DP partition selection' : 'no rows')) : table.suppressed.rows === null ? null : table.suppressed.reason,
    result: { tables: { [analysisName]: table } },
  };
}

/**
 * Every check {@link executeSqlAnalysis} makes before it runs anything — parameters, the
 * engine's parse, the aggregation rules, and under DP the rewrite's own refusals — with
 * nothing run: so a preview refuses exactly what a run would, with the same reason.
 *
 * @example
 * ```ts
 * await checkSqlAnalysis(room, template, 'custom_sql', { sql: 'SELECT p.email FROM purchases p' }, { runnerRoles: ['retailer'] });
 * // throws CleanRoomError('refused'): … rule identifier-column …
 * ```
 */
export async function checkSqlAnalysis(room: RoomStore, template: Template, analysisName: string, params: AnalysisParams, options: { runnerRoles: readonly string[] }): Promise<void> {
  const { plan, persons } = await checkedSql(room, template, analysisName, params, options.runnerRoles);
  if (template.privacy.dp !== null) dpQuery(plan, template, analysisName, persons[0]!);
}

async function checkedSql(room: RoomStore, template: Template, analysisName: string, params: AnalysisParams, runnerRoles: readonly string[]): Promise<{ plan: CheckedQuery; persons: SqlNode[] }> {
  const analysis = sqlAnalysis(template, analysisName);
  if (runnerRoles.length === 0) {
    throw new CleanRoomError('invalid_argument', `Cannot run sql analysis '${analysisName}' without the running party's roles: they decide whose data is protected`, { details: { field: 'runnerRoles' } });
  }
  const checkedParams = validateParams(analysis, params);
  if (!checkedParams.ok) {
    const first = checkedParams.problems[0]!;
    throw new CleanRoomError('invalid_argument', `Cannot run analysis '${analysisName}': ${first.message}`, { details: { problems: checkedParams.problems } });
  }
  const tree = await parseQuery(room, analysis, checkedParams.params);
  const check = checkCustomSql(tree, aggregationRulesFor(template, analysisName, runnerRoles));
  if (!check.ok) throw refusedQuery(analysisName, check.refusal);
  const plan = check.plan;
  plan.outputs.forEach((output, i) => {
    if (output.name.startsWith('__')) throw refusedQuery(analysisName, refusal('reserved-output-name', `select_list[${i}]`, `output names starting with __ are reserved`, output.name));
  });
  const protectedTables = plan.tables.filter((t) => !runnerRoles.includes(template.datasets[t.dataset]!.owner));
  if (template.privacy.dp !== null && new Set(protectedTables.map((t) => t.dataset)).size > 1) {
    // One privacy unit per run: bounding one dataset's people does not bound another's.
    throw refusedQuery(analysisName, refusal('dp-protected-parties', 'from_table', 'under differential privacy a query may read only one dataset of the other parties'));
  }
  const persons = await personNodes(room, template, protectedTables.length > 0 ? protectedTables : plan.tables);
  return { plan, persons };
}

function sqlAnalysis(template: Template, analysisName: string): SqlAnalysis {
  const analysis = Object.hasOwn(template.analyses, analysisName) ? template.analyses[analysisName] : undefined;
  if (analysis?.kind !== 'sql') {
    throw new CleanRoomError('invalid_argument', `Cannot run analysis '${analysisName}' as custom SQL: it is not a sql analysis of template ${template.name}`, { details: { field: 'analysis' } });
  }
  return analysis;
}

async function parseQuery(room: RoomStore, analysis: SqlAnalysis, params: AnalysisParams): Promise<unknown> {
  if (analysis.query === undefined) return room.parseSql(String(params.sql));
  return bindQueryParams(await room.parseSql(analysis.query), params, analysis.params);
}

async function thresholded(room: RoomStore, template: Template, analysisName: string, plan: CheckedQuery, persons: readonly SqlNode[], check: DifferenceCheck | undefined): Promise<GuardedTable> {
  const { tree, hidden } = thresholdQuery(plan, persons);
  if (check === undefined) {
    const { rows } = await room.query(await room.printSql(tree));
    return guardThresholded(rows, plan, hidden, guardPolicyOf(template));
  }
  const suffixes = persons.map((_, i) => `_${i}`);
  const select = ((tree as SqlNode).statements as SqlNode[])[0]!.node as SqlNode;
  select.select_list = [...(select.select_list as SqlNode[]), ...(await sketchNodes(room, persons, check.settings, suffixes))];
  const { rows } = await room.query(await room.printSql(tree));
  return guardThresholdedWith(rows, plan, hidden, (prepared, shape) => check.guard(analysisName, prepared, shape, suffixes));
}

const PLACEHOLDER = '__cleanroom_person__';
/** Parsed sketch items per collaboration's settings (salt and cells): one parse per collaboration and process, at most 256 kept. */
const parsedSketches = new Map<string, Promise<SqlNode[]>>();

function sketchItems(room: RoomStore, settings: SketchSettings): Promise<SqlNode[]> {
  const key = `${settings.salt}:${settings.cells}`;
  let items = parsedSketches.get(key);
  if (items === undefined) {
    items = room.parseSql(`SELECT ${sketchSelect(`"${PLACEHOLDER}"`, settings)}`).then((parsed) => ((parsed as SqlNode).statements as SqlNode[])[0]!.node as SqlNode).then((node) => node.select_list as SqlNode[]);
    if (parsedSketches.size >= 256) parsedSketches.delete(parsedSketches.keys().next().value!);
    parsedSketches.set(key, items);
    items.catch(() => parsedSketches.get(key) === items && parsedSketches.delete(key));
  }
  return items;
}

/** The sketch columns of each person node, as tree nodes: the parsed items copied, the person put in place. */
async function sketchNodes(room: RoomStore, persons: readonly SqlNode[], settings: SketchSettings, suffixes: readonly string[]): Promise<SqlNode[]> {
  const placeholder = PLACEHOLDER;
  const items = await sketchItems(room, settings);
  return persons.flatMap((person, i) =>
    items.map((item) => {
      const names = sketchColumnNames(suffixes[i]);
      const alias = item.alias === sketchColumnNames().cells ? names.cells : names.fingerprint;
      return { ...(replaceColumn(structuredClone(item), placeholder, person) as SqlNode), alias };
    }),
  );
}

function replaceColumn(node: unknown, name: string, by: SqlNode): unknown {
  if (Array.isArray(node)) return node.map((child) => replaceColumn(child, name, by));
  if (node === null || typeof node !== 'object') return node;
  const record = node as SqlNode;
  if (record.class === 'COLUMN_REF' && Array.isArray(record.column_names) && record.column_names.length === 1 && record.column_names[0] === name) return structuredClone(by);
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, replaceColumn(value, name, by)]));
}

async function noisy(room: RoomStore, template: Template, analysisName: string, plan: CheckedQuery, persons: readonly SqlNode[], rng: RandomSource): Promise<GuardedTable> {
  const dp = dpQuery(plan, template, analysisName, persons[0]!);
  const { sql, params } = dp.sql(await room.printSql(dp.inner), runSeed(rng));
  const { rows } = await room.query(sql, params);
  return releaseNoisyTable(dp.rows(rows), dp.spec, rng);
}
