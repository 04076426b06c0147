/**
 * The public face of cleanroom's template module: the contract of a collaboration —
 * roles, datasets, match keys, analyses and their parameters, privacy policy, retention
 * and terms — validated with problems as data, identified by a content digest.
 * Field by field: docs/templates.md.
 *
 * @example
 * ```ts
 * import { validateTemplate, templateDigest, paramsSchema } from './core/template/index.js';
 * const result = validateTemplate(json);
 * if (result.ok) {
 *   templateDigest(result.template); // 'sha256:…'
 *   paramsSchema(result.template.analyses.attribution!).parse({ lookback_days: 14 });
 * }
 * ```
 */
export {
  ABILITIES,
  ANALYSIS_KINDS,
  ATTRIBUTION_MODELS,
  COLUMN_ROLES,
  COLUMN_TYPES,
  DEFAULT_MIN_PEOPLE,
  DP_KINDS,
  DP_MECHANISMS,
  FILTER_OPS,
  HASHING_MODES,
  MAX_SQL_LENGTH,
  PARAM_TYPES,
  RESERVED_PARAMS,
  ROLE_TYPES,
} from './template-vocabulary.js';
export type {
  Ability,
  AnalysisKind,
  AttributionModel,
  ColumnRole,
  ColumnType,
  DpMechanism,
  FilterOp,
  HashingMode,
  ParamType,
} from './template-vocabulary.js';
export type {
  ActivationAnalysis,
  AggregateAnalysis,
  AnalysisBase,
  AnalysisDp,
  AnalysisSpec,
  AttributionAnalysis,
  ColumnSpec,
  DatasetSpec,
  DpBudget,
  DpPolicy,
  IdentitySpec,
  IdentityGraphSpec,
  LiftAnalysis,
  OverlapAnalysis,
  ParamFilter,
  ParamSpec,
  ParamValue,
  PrivacyPolicy,
  RoleSpec,
  SqlAnalysis,
  SqlColumnRule,
  Template,
  Terms,
} from './template-types.js';

export { TEMPLATE_PROBLEM_CODES } from './template-problem.js';
export type { TemplateProblem, TemplateProblemCode } from './template-problem.js';
export { canSelectPartitions } from './check-dp.js';
export { queryParamNames } from './check-params.js';
export { validateTemplate } from './validate-template.js';
export type { TemplateValidation } from './validate-template.js';
export { templateSchema } from './template-schema.js';
export { isTemplateName, ownEntry } from './names.js';
export { findColumn, findColumnRef, parseColumnRef } from './column-ref.js';
export type { ColumnExpectation, ColumnRef } from './column-ref.js';

export { paramValueSchema, paramsJsonSchema, paramsSchema, validateParams } from './params-schema.js';
export type { AnalysisParams, ParamProblem } from './params-schema.js';

export { canonicalJson } from '../digest/canonical-json.js';
export { jsonDigest, sha256Hex } from '../digest/json-digest.js';
export { templateDigest } from './template-digest.js';

export { datasetColumnOrder, datasetCsvHeader, datasetCsvTemplate, exampleValue } from './dataset-csv.js';
export { createTemplateRegistry } from './template-registry.js';
export type { ReadyTemplate, RegistryProblem, TemplateDocument, TemplateRegistry } from './template-registry.js';
