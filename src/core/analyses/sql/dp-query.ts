import type { Cell, SqlParam } from '../../engine-port.js';
import type { CheckedQuery } from '../../custom-sql/index.js';
import type { NoisyTableSpec } from '../../privacy/dp/release-table.js';
import { toRational } from '../../privacy/dp/rational.js';
import { canSelectPartitions } from '../../template/index.js';
import type { SqlAnalysis, Template } from '../../template/index.js';
import { boundedRowsSql, type Stat } from '../dp/bounding/bounded-rows-sql.js';
import { refusal, refusedQuery } from './refused-query.js';
import { aliased, copySelect, shapeOf } from './sql-tree.js';
import type { SqlNode } from './sql-tree.js';

/**
 * A checked query rewritten for differential privacy: the inner SELECT to print, the
 * bounding and aggregation SQL around it, and how its rows become a noisy table.
 *
 * @example
 * ```ts
 * const dp = dpQuery(plan, template, 'custom_sql', unit);
 * const { sql, params } = dp.sql(await room.printSql(dp.inner), seed);
 * const table = releaseNoisyTable(dp.rows((await room.query(sql, params)).rows), dp.spec, rng);
 * ```
 */
export interface DpQuery {
  /** The checked tree with its select list replaced: group keys, the person, aggregate arguments; no GROUP BY. */
  inner: unknown;
  /** The whole query: the printed inner SELECT, bounded per person, aggregated per group. */
  sql(inner: string, seed: string): { sql: string; params: SqlParam[] };
  /** Engine rows (one per group) to the true aggregates {@link releaseNoisyTable} reads. */
  rows(rows: readonly Record<string, Cell>[]): Record<string, Cell>[];
  spec: NoisyTableSpec;
}

/**
 * Rewrite an accepted query's aggregates for differential privacy. The inner SELECT keeps
 * the checked FROM and WHERE and outputs each GROUP BY key, the person of the privacy unit
 * (`unit`, the first protected table's person) and each aggregate's argument. Around it, in
 * SQL: rows without a person are dropped; each person keeps at most k groups (ranked by a
 * hash keyed with a fresh per-run seed, a bound parameter) and at most m rows per group;
 * summed values are clamped to their column's declared range and summed in whole resolution
 * steps (exact integer arithmetic). Per group: distinct people, each count, each sum in
 * steps; an `avg` becomes a noisy sum ÷ noisy count. An `avg` whose argument and FILTER are
those of a `sum` output divides that output's noisy sum: one noisy value, not two that
disagree, and the budget split over one statistic fewer.
 *
 * An aggregate's FILTER condition becomes a column of the inner SELECT, applied after the
 * bounding. Refused (rule `dp-…`, before anything runs): HAVING (it picks groups by true
 * values), an output that is not a group key or one plain aggregate (`round(avg(x))`), a
 * summed column without a declared range, a group key not output, group keys from private
 * values in an analysis whose cost has no partition selection, constant outputs.
 *
 * Budget (exactly the analysis's cost): laplace ε goes half to partition selection and half
 * to the values when the query groups by private values, else all to the values; gaussian ρ
 * to the values and ε to selection.
 *
 * @example
 * ```ts
 * dpQuery(plan, template, 'custom_sql', unit).spec.budget; // { epsilon: 0.5, selectionEpsilon: 0.5, selectionDelta: 1e-7 }
 * ```
 */
export function dpQuery(plan: CheckedQuery, template: Template, analysisName: string, unit: SqlNode): DpQuery {
  const analysis = template.analyses[analysisName] as SqlAnalysis;
  const policy = template.privacy.dp!;
  const dp = analysis.dp!;
  const fail = (rule: string, node: string, why: string, column?: string): never => {
    throw refusedQuery(analysisName, refusal(rule, node, why, column));
  };
  const { tree, select } = copySelect(plan.tree);
  if (select.having !== null) fail('dp-having', 'node.having', 'HAVING is not allowed under differential privacy: it would choose groups by their true values');
  const items = select.select_list as SqlNode[];
  const groups = select.group_expressions as SqlNode[];
  const groupNames = groups.map((g, i) => {
    const j = items.findIndex((item, index) => plan.outputs[index]!.kind === 'group_key' && shapeOf(item) === shapeOf(g));
    return j >= 0 ? plan.outputs[j]!.name : fail('dp-group-key', `group_expressions[${i}]`, 'under differential privacy every GROUP BY key must also be an output');
  });
  const values: SqlNode[] = [];
  const filters: SqlNode[] = [];
  const stats: Stat[] = [];
  plan.outputs.forEach((output, i) => {
    const item = items[i]!;
    const where = `select_list[${i}] ${String(item.class)}`;
    if (output.kind === 'group_key') return;
    if (output.kind === 'constant') fail('dp-output', where, `output ${output.name} is not a group key or an aggregate; under differential privacy only those are released`);
    const name = String(item.function_name ?? '').toLowerCase();
    if (item.class !== 'FUNCTION' || !['count_star', 'count', 'sum', 'avg'].includes(name)) {
      fail('dp-aggregate-expression', where, `output ${output.name} computes on an aggregate; under differential privacy each output must be one count, sum or avg`);
    }
    // A FILTER condition becomes a column of the inner SELECT, read by the aggregate after bounding.
    const filter = item.filter === null ? undefined : `__f${filters.push(aliased(item.filter, `__f${filters.length}`)) - 1}`;
    const base = { name: output.name, ...(filter !== undefined ? { filter } : {}) };
    if (name === 'count_star') return void stats.push({ ...base, kind: 'count', sql: 'count(*)' });
    const v = values.push(aliased((item.children as SqlNode[])[0]!, `__v${values.length}`)) - 1;
    if (name === 'count') return void stats.push({ ...base, kind: 'count', sql: item.distinct === true ? `count(DISTINCT __v${v})` : `count(__v${v})` });
    // The checker records a FILTER's columns first, then the aggregate's one bare column.
    const column = output.columns.at(-1)!;
    const range = template.datasets[column.dataset]?.columns[column.column]?.range;
    if (range === undefined) fail('dp-range', where, `${name} over ${column.dataset}.${column.column} needs a declared range to bound one person's weight`, `${column.dataset}.${column.column}`);
    const shape = `${shapeOf((item.children as SqlNode[])[0])}|${item.filter === null ? '' : shapeOf(item.filter)}`;
    const total = dp.personTotals?.[`${column.dataset}.${column.column}`];
    stats.push({ ...base, kind: name as 'sum' | 'avg', value: v, range: range!, shape, ...(total === undefined ? {} : { personTotal: [total[0], total[1]] as [number, number] }) });
  });
  for (const stat of stats) {
    if (stat.kind !== 'avg') continue;
    const sum = stats.find((other) => other.kind === 'sum' && other.shape === stat.shape);
    if (sum !== undefined) stat.sumOf = sum.name;
  }
  const ownSum = (s: Stat): boolean => s.kind === 'sum' || (s.kind === 'avg' && s.sumOf === undefined);
  const publicGroups = publicValues(plan, items, groups, groupNames, template);
  const privateKeys = groups.length > 0 && publicGroups === undefined;
  if (privateKeys && !canSelectPartitions(template, analysis)) {
    fail('dp-private-groups', 'group_expressions', 'these group keys are not plain columns with declared values, and this analysis has no budget for DP partition selection');
  }
  select.select_list = [...groups.map((g, i) => aliased(g, `__g${i}`)), aliased(unit, '__pid'), ...values, ...filters];
  select.group_expressions = [];
  select.group_sets = [];
  const names = new Set(plan.outputs.map((o) => o.name.toLowerCase()));
  const people = ['people', 'people_dp', 'dp_people'].find((n) => !names.has(n)) ?? '__people';
  const m = dp.maxRowsPerGroup;
  const k = dp.maxGroupsPerPerson;
  const spec: NoisyTableSpec = {
    dimensions: groupNames,
    ...(publicGroups !== undefined ? { publicGroups } : {}),
    people,
    counts: stats.flatMap((s) => (s.kind === 'count' ? [{ column: s.name, maxRowsPerGroup: m }] : s.kind === 'avg' ? [{ column: `${s.name}.count`, maxRowsPerGroup: m }] : [])),
    sums: stats.flatMap((s) =>
      s.kind === 'count' || !ownSum(s)
        ? []
        : [
            {
              column: s.kind === 'sum' ? s.name : `${s.name}.sum`,
              stepsColumn: `__steps_${s.name}`,
              range: { min: s.range[0], max: s.range[1] },
              resolution: dp.resolution,
              maxRowsPerGroup: m,
              ...(s.personTotal === undefined ? {} : { personTotal: { min: s.personTotal[0], max: s.personTotal[1] } }),
            },
          ],
    ),
    means: stats.flatMap((s) => (s.kind === 'avg' ? [{ column: s.name, sum: s.sumOf ?? `${s.name}.sum`, count: `${s.name}.count` }] : [])),
    maxGroupsPerPerson: k,
    mechanism: policy.mechanism,
    budget: budgetOf(template, analysisName, privateKeys),
  };
  const released = [...spec.dimensions, people, ...spec.counts.map((c) => c.column), ...spec.sums.map((x) => x.column), ...spec.means.map((x) => x.column)];
  if (new Set(released.map((n) => n.toLowerCase())).size !== released.length) {
    fail('reserved-output-name', 'select_list', 'under differential privacy an avg output x also releases x.sum and x.count; rename the outputs that clash with them');
  }
  return {
    inner: tree,
    spec,
    sql: (inner, seed) => ({ sql: boundedRowsSql(inner, seed, { groups: groups.length, values: values.length, stats, k, m, resolution: dp.resolution }), params: [] }),
    rows: (rows) =>
      rows.map((row) => {
        const out: Record<string, Cell> = { [people]: row.people ?? 0 };
        groupNames.forEach((g, i) => (out[g] = row[`g${i}`] ?? null));
        stats.forEach((s, j) => {
          if (s.kind === 'count') out[s.name] = row[`c${j}`] ?? 0;
          else if (ownSum(s)) out[`__steps_${s.name}`] = row[`s${j}`] ?? 0;
          if (s.kind === 'avg') out[`${s.name}.count`] = row[`n${j}`] ?? 0;
        });
        return out;
      }),
  };
}

/** Every group key a plain column with declared values: those values, so no key is read from data. */
function publicValues(plan: CheckedQuery, items: readonly SqlNode[], groups: readonly SqlNode[], names: readonly string[], template: Template): Record<string, string[]> | undefined {
  if (groups.length === 0) return undefined;
  const result: Record<string, string[]> = {};
  for (const [i, g] of groups.entries()) {
    if (g.class !== 'COLUMN_REF') return undefined;
    const j = items.findIndex((item) => shapeOf(item) === shapeOf(g));
    const column = plan.outputs[j]?.columns[0];
    const allowed = column === undefined ? undefined : template.datasets[column.dataset]?.columns[column.column]?.allowedValues;
    if (allowed === undefined) return undefined;
    result[names[i]!] = [...allowed];
  }
  return result;
}

function budgetOf(template: Template, analysisName: string, privateKeys: boolean): NoisyTableSpec['budget'] {
  const policy = template.privacy.dp!;
  const dp = template.analyses[analysisName]!.dp!;
  if (policy.mechanism === 'laplace') {
    const epsilon = toRational(dp.epsilon!);
    if (!privateKeys) return { epsilon };
    const half = { num: epsilon.num, den: epsilon.den * 2n };
    return { epsilon: half, selectionEpsilon: half, selectionDelta: policy.selectionDelta };
  }
  return privateKeys ? { rho: dp.rho!, selectionEpsilon: dp.epsilon!, selectionDelta: policy.selectionDelta } : { rho: dp.rho! };
}
