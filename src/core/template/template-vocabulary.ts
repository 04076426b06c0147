/**
 * The closed vocabularies a template is written in. Each list is the single source of
 * truth: the zod schema, the docs and the UI read the same arrays.
 *
 * @example
 * ```ts
 * import { ABILITIES } from './template-vocabulary.js';
 * ABILITIES.includes('runs'); // true
 * ```
 */
export const ABILITIES = ['contributes', 'runs', 'receives', 'activates'] as const;
/** What a role may do in a collaboration. */
export type Ability = (typeof ABILITIES)[number];

/**
 * Column value types, as a CSV cell is read at ingest.
 *
 * @example
 * ```ts
 * COLUMN_TYPES[0]; // 'string'
 * ```
 */
export const COLUMN_TYPES = ['string', 'integer', 'decimal', 'boolean', 'date', 'timestamp'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/**
 * What an analysis may do with a column. `identifier` and `person_key` columns are only
 * ever matched or counted, never grouped by, filtered on or returned (except a party's own
 * person keys in its activation audience).
 *
 * @example
 * ```ts
 * COLUMN_ROLES.includes('measure'); // true
 * ```
 */
export const COLUMN_ROLES = ['identifier', 'dimension', 'measure', 'timestamp', 'person_key'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/**
 * The column types each role accepts.
 *
 * @example
 * ```ts
 * ROLE_TYPES.measure; // ['integer', 'decimal']
 * ```
 */
export const ROLE_TYPES: Readonly<Record<ColumnRole, readonly ColumnType[]>> = Object.freeze({
  identifier: ['string'],
  dimension: ['string', 'integer', 'boolean', 'date'],
  measure: ['integer', 'decimal'],
  timestamp: ['date', 'timestamp'],
  person_key: ['string', 'integer'],
});

/**
 * Where identifiers are hashed: `client` — the party uploads SHA-256 hashes made by
 * `cleanroom prepare` or the browser; `room` — the party uploads raw identifiers, which
 * ingest normalises and hashes in the stream and never writes down; `double-blind` — each
 * party blinds them with its own secret key (`cleanroom prepare --hash blind`), the other
 * party blinds them a second time, and the room matches only doubly blinded values
 * (docs/double-blind.md).
 *
 * @example
 * ```ts
 * HASHING_MODES; // ['client', 'room', 'double-blind']
 * ```
 */
export const HASHING_MODES = ['client', 'room', 'double-blind'] as const;
export type HashingMode = (typeof HASHING_MODES)[number];

/**
 * The analysis kinds the room can run; each has its own fixed settings (docs/templates.md).
 *
 * @example
 * ```ts
 * ANALYSIS_KINDS.includes('lift'); // true
 * ```
 */
export const ANALYSIS_KINDS = ['aggregate', 'overlap', 'attribution', 'lift', 'activation', 'sql'] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

/**
 * Parameter types. There is deliberately no free-text type: every string a caller can
 * send is one of the template's allowed values, so no parameter can carry an identifier.
 *
 * @example
 * ```ts
 * PARAM_TYPES.includes('string[]'); // true
 * ```
 */
export const PARAM_TYPES = ['enum', 'integer', 'number', 'string[]', 'boolean', 'date', 'sql'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/**
 * How a filter parameter restricts a column: `in` (a `string[]` parameter), `eq`,
 * `gte` and `lte` (inclusive bounds).
 *
 * @example
 * ```ts
 * FILTER_OPS; // ['in', 'eq', 'gte', 'lte']
 * ```
 */
export const FILTER_OPS = ['in', 'eq', 'gte', 'lte'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/**
 * Attribution models: the conversion goes to the last exposure in the lookback window,
 * to the first, or is split evenly over all of them.
 *
 * @example
 * ```ts
 * ATTRIBUTION_MODELS[0]; // 'last_touch'
 * ```
 */
export const ATTRIBUTION_MODELS = ['last_touch', 'first_touch', 'even_split'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/**
 * Parameter names with a meaning fixed by the analysis kind. Every other parameter must
 * be a filter (`filter: { column, op }`). `group_by` is a `string[]` whose allowed values
 * are `dataset.column` references to dimension columns; `model` and `lookback_days` are
 * attribution's.
 *
 * @example
 * ```ts
 * RESERVED_PARAMS.attribution; // ['group_by', 'model', 'lookback_days']
 * ```
 */
export const RESERVED_PARAMS: Readonly<Record<AnalysisKind, readonly string[]>> = Object.freeze({
  aggregate: ['group_by'],
  overlap: ['group_by'],
  attribution: ['group_by', 'model', 'lookback_days'],
  lift: ['group_by'],
  activation: [],
  sql: ['sql'],
});

/**
 * Analysis kinds a template may put under differential privacy. Activation releases person
 * keys and lift/attribution release statistics whose noisy versions are not built yet, so
 * a template with `privacy.dp` may not hold them.
 *
 * @example
 * ```ts
 * DP_KINDS.includes('aggregate'); // true
 * ```
 */
export const DP_KINDS = ['aggregate', 'overlap', 'attribution', 'lift', 'sql'] as const;

/**
 * Noise mechanisms: `laplace` (discrete Laplace, pure ε-DP, analyses cost `epsilon`) or
 * `gaussian` (discrete Gaussian, ρ-zCDP, analyses cost `rho`).
 *
 * @example
 * ```ts
 * DP_MECHANISMS[0]; // 'laplace'
 * ```
 */
export const DP_MECHANISMS = ['laplace', 'gaussian'] as const;
export type DpMechanism = (typeof DP_MECHANISMS)[number];

/** The longest custom query text a runner may submit. */
export const MAX_SQL_LENGTH = 100_000;

/** The default minimum of distinct people behind every released row. */
export const DEFAULT_MIN_PEOPLE = 100;
