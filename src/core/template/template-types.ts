import type { IdentifierKind } from '../identity/identifier-kind.js';
import type { ProfileName } from '../identity/identity-profile.js';
import type {
  Ability,
  ColumnRole,
  ColumnType,
  DpMechanism,
  FilterOp,
  HashingMode,
  ParamType,
} from './template-vocabulary.js';

/**
 * A validated collaboration template: the contract every member attests to. Produced only
 * by `validateTemplate`, which returns it deeply frozen, with name-keyed maps that have no
 * prototype (so `template.datasets['constructor']` is `undefined`). Field by field:
 * docs/templates.md.
 *
 * @example
 * ```ts
 * const result = validateTemplate(JSON.parse(text));
 * if (result.ok) result.template.privacy.minPeople; // 100 unless the template says otherwise
 * ```
 */
export interface Template {
  /** Slug, also the ready template's file name: `offline-sales-attribution`. */
  name: string;
  title: string;
  description: string;
  /** Semantic version of this template; any change to its content is a new version. */
  version: string;
  roles: Record<string, RoleSpec>;
  datasets: Record<string, DatasetSpec>;
  identity: IdentitySpec;
  analyses: Record<string, AnalysisSpec>;
  privacy: PrivacyPolicy;
  /** Days a dataset version is kept after upload. */
  retentionDays: number;
  terms: Terms;
}

/** A role a party plays: what it may do. */
export interface RoleSpec {
  abilities: Ability[];
  description: string;
}

/** One dataset a role contributes. Column order is the order of the CSV header template. */
export interface DatasetSpec {
  owner: string;
  description: string;
  /** The column that ties several rows to one person of the owner (e.g. `customer_id`). */
  personKey?: string;
  columns: Record<string, ColumnSpec>;
}

/**
 * One column. After validation, identifier columns have `role: 'identifier'` and the
 * person-key column `role: 'person_key'` even where the JSON left `role` out; a column
 * with no role is stored but no analysis may use it.
 */
export interface ColumnSpec {
  type: ColumnType;
  role?: ColumnRole;
  identifier?: IdentifierKind;
  required: boolean;
  /** The only values ingest accepts (string columns). */
  allowedValues?: string[];
  /** Inclusive bounds ingest enforces (integer and decimal columns). */
  range?: [number, number];
  description: string;
}

/** How people are matched across datasets. */
export interface IdentitySpec {
  profile: ProfileName;
  hashing: HashingMode;
  /** Match keys in priority order; each key is one or more identifier kinds, all required. */
  matchKeys: IdentifierKind[][];
  /** An identity partner's graph that bridges records sharing no key (docs/matching.md); absent: direct keys only. */
  graph?: IdentityGraphSpec;
}

/**
 * The identity graph of a collaboration: a dataset of an identity partner whose rows link the
 * partner's person id (its `personKey`) to identifiers of the match keys' kinds, many rows per
 * person. It is never analysed or released; it only bridges two parties' records.
 *
 * @example
 * ```ts
 * const graph: IdentityGraphSpec = { dataset: 'graph', maxIdentifiersPerPerson: 25 };
 * ```
 */
export interface IdentityGraphSpec {
  dataset: string;
  /** A graph person with more distinct key values than this is a "super node" and bridges no one. */
  maxIdentifiersPerPerson: number;
}

/** A value a caller may pass for a parameter. */
export type ParamValue = string | number | boolean | string[];

/** Restricts the rows of a column by a parameter's value. */
export interface ParamFilter {
  /** `dataset.column` of a dimension, measure or timestamp column of the analysis. */
  column: string;
  op: FilterOp;
}

/** One typed parameter of an analysis. */
export interface ParamSpec {
  type: ParamType;
  description: string;
  /** Required for `enum` and `string[]`: the values a caller may choose. */
  allowedValues?: string[];
  /** Inclusive bounds: numbers for `integer`/`number`, item counts for `string[]`, YYYY-MM-DD for `date`. */
  min?: number | string;
  max?: number | string;
  default?: ParamValue;
  /** Must the caller pass it? Default false; a parameter with a default is never required. */
  required?: boolean;
  filter?: ParamFilter;
}

/** What every analysis kind declares. */
export interface AnalysisBase {
  description: string;
  /** The datasets it reads; at least two, of different owners. */
  datasets: string[];
  /** Roles that may start a run. */
  runs: string[];
  /** Roles that get the result. */
  receives: string[];
  params: Record<string, ParamSpec>;
  /** What a run costs and how much one person may contribute, when the template turns DP on. */
  dp?: AnalysisDp;
}

/**
 * The differential-privacy settings of one analysis (required on every analysis of a
 * template with `privacy.dp`). The cost is fixed by the template, whatever the parameters:
 * under `laplace` a run costs `epsilon`; under `gaussian` it costs `rho`, plus `epsilon`
 * for partition selection when the analysis can group by private values. When a run may
 * select partitions, it also costs the policy's `selectionDelta`. See
 * docs/differential-privacy.md.
 */
export interface AnalysisDp {
  /** Laplace: the ε of one run (split between partition selection and values). Gaussian: the ε of partition selection. */
  epsilon?: number;
  /** Gaussian only: the ρ (zCDP) of the values of one run. */
  rho?: number;
  /** k: the most groups (rows of a result table) one person's data may reach; more are dropped at random. Default 1. */
  maxGroupsPerPerson: number;
  /** m: the most rows of one person kept in each group (for row counts and sums). Default 1. */
  maxRowsPerGroup: number;
  /** Fixed-point step of noisy sums (0.01 = cents); every summed column's range must be whole steps. Default 0.01. */
  resolution: number;
  /**
   * Per summed column (`dataset.column`): the range each person's total in one result row is
   * clamped to, after the m-row bound. A noisy sum's sensitivity is then k · min(m·B, the
   * larger bound of this range), so a cap well below m·B means much less noise.
   */
  personTotals?: Readonly<Record<string, readonly [number, number]>>;
}

/** People, and for each measure its sum and its mean per person, by the chosen dimensions. */
export interface AggregateAnalysis extends AnalysisBase {
  kind: 'aggregate';
  /** `dataset.column` references to measure columns; empty for a count only. */
  measures: string[];
}

/** Matched people and the share of each side, per match key and overall. */
export interface OverlapAnalysis extends AnalysisBase {
  kind: 'overlap';
}

/** Exposures × conversions within a lookback window, by campaign and chosen dimensions. */
export interface AttributionAnalysis extends AnalysisBase {
  kind: 'attribution';
  exposures: { dataset: string; timestamp: string; campaign: string };
  conversions: { dataset: string; timestamp: string; value: string };
}

/** Exposed vs holdout: conversion rates, lift, incremental conversions, 95% CI, p-value. */
export interface LiftAnalysis extends AnalysisBase {
  kind: 'lift';
  /** The column whose value puts each person in the exposed or the holdout group. */
  assignment: { dataset: string; column: string; exposed: string; holdout: string };
  conversions: { dataset: string; timestamp: string; value?: string };
}

/** The receiving role's own person keys of the matched people who satisfy the filters. */
export interface ActivationAnalysis extends AnalysisBase {
  kind: 'activation';
  /** The dataset whose person keys are delivered; its owner is the only receiver. */
  audience: string;
}

/** What one column may be used for in custom SQL (`dataset.column` → rule); see {@link SqlAnalysis}. */
export interface SqlColumnRule {
  /** A match-key identifier column that may be an inner equality join condition. */
  join?: boolean;
  /** May be grouped on, filtered on and output as a group key. */
  dimension?: boolean;
  /** Aggregates allowed over the column. */
  aggregates?: Array<'count' | 'count_distinct' | 'sum' | 'avg'>;
}

/**
 * A party's own SQL under the data owners' aggregation rules, or the data owner's
 * pre-approved SQL with typed parameters. See docs/custom-sql.md.
 *
 * Without `query`, the runner submits SQL as the reserved `sql` parameter. With `query`,
 * others run exactly that text, each `$name` in it bound to the typed parameter `name`.
 * Either way the SQL is parsed by the engine, checked against `rules` on its syntax tree,
 * every output row thresholded on the distinct people of each dataset it reads (and noised
 * under `privacy.dp`), and the checked tree is what runs.
 */
export interface SqlAnalysis extends AnalysisBase {
  kind: 'sql';
  /** Pre-approved SQL written by a data owner; absent: runners write their own. */
  query?: string;
  rules: {
    /**
     * Per `dataset.column`, what it may be used for. Columns not listed get their defaults
     * from their role: match-key identifiers `join`, dimensions and timestamps `dimension`,
     * measures `aggregates: [count, sum, avg]`; identifiers and person keys nothing else.
     */
    columns: Record<string, SqlColumnRule>;
    /** Scalar functions allowed; default: the checker's safe list (lower, upper, date_trunc, year, month, coalesce, round, cast). */
    scalarFunctions?: string[];
    /** The query must join a dataset of the running party with another party's. Default true. */
    mustJoinOwnData: boolean;
  };
}

/** One allowed analysis, discriminated by `kind`. */
export type AnalysisSpec =
  | AggregateAnalysis
  | OverlapAnalysis
  | AttributionAnalysis
  | LiftAnalysis
  | ActivationAnalysis
  | SqlAnalysis;

/** What may be released. */
export interface PrivacyPolicy {
  /** Minimum distinct matched people behind every released row; default 100. */
  minPeople: number;
  /** Released counts coarsened to multiples of `to` (shown as ranges); null releases exact counts. */
  rounding: { to: number } | null;
  /** Roles that must approve each result before release; empty for none. */
  reviewBy: string[];
  /**
   * Thresholded rooms: a row is released when its people plus a seeded discrete Laplace draw
   * of this scale reach `minPeople` (never under `minPeople − 3·scale`), so one person at the
   * boundary no longer decides the release for certain. docs/guardrails.md.
   */
  noisyThreshold?: { scale: number };
  /** Differential privacy for every analysis, or null for thresholds only. */
  dp: DpPolicy | null;
}

/** An (ε, δ) budget. */
export interface DpBudget {
  epsilon: number;
  delta: number;
}

/**
 * Differential privacy for a collaboration: the privacy unit is the person; every release
 * is noised and charged to a ledger before it is released, and a run that would exceed the
 * collaboration's or the running party's budget is refused. Thresholds (`minPeople`) give
 * way to DP partition selection; `rounding` must be null.
 */
export interface DpPolicy {
  unit: 'person';
  mechanism: DpMechanism;
  /** The collaboration's total per period, all parties together. */
  budget: DpBudget;
  /** Each running party's own total per period (all its API keys together); null: the collaboration's. */
  perParty: DpBudget | null;
  /** Budgets start afresh every this many days; null: never. */
  refreshDays: number | null;
  /** δ of partition selection, charged by each run of an analysis that can group by private values. Default 1e-7. */
  selectionDelta: number;
}

/** The data-use terms each party attests to, by version. */
export interface Terms {
  version: string;
  text: string;
}
