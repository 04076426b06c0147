import type { IdentifierKind } from '../identity/identifier-kind.js';
import type { ProfileName } from '../identity/identity-profile.js';
import type {
  Ability,
  ColumnRole,
  ColumnType,
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

/** One allowed analysis, discriminated by `kind`. */
export type AnalysisSpec =
  | AggregateAnalysis
  | OverlapAnalysis
  | AttributionAnalysis
  | LiftAnalysis
  | ActivationAnalysis;

/** What may be released. */
export interface PrivacyPolicy {
  /** Minimum distinct matched people behind every released row; default 100. */
  minPeople: number;
  /** Released counts coarsened to multiples of `to` (shown as ranges); null releases exact counts. */
  rounding: { to: number } | null;
  /** Roles that must approve each result before release; empty for none. */
  reviewBy: string[];
  /** Differential privacy: reserved, must be null until its own issue lands. */
  dp: null;
}

/** The data-use terms each party attests to, by version. */
export interface Terms {
  version: string;
  text: string;
}
