import { z } from 'zod';
import { nameSchema } from './names.js';
import { FILTER_OPS, MAX_SQL_LENGTH, PARAM_TYPES } from './template-vocabulary.js';

const text = z.string().trim().min(1);
const names = z.array(nameSchema);
const columnRef = z
  .string()
  .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'Invalid column reference: expected dataset.column');

const paramSchema = z.strictObject({
  type: z.enum(PARAM_TYPES),
  description: text,
  allowedValues: z.array(z.string().min(1).max(200)).min(1).optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  required: z.boolean().optional(),
  filter: z.strictObject({ column: columnRef, op: z.enum(FILTER_OPS) }).optional(),
});

const base = {
  description: text,
  datasets: names.min(2),
  runs: names.min(1),
  receives: names.min(1),
  params: z.record(nameSchema, paramSchema).default({}),
  dp: z
    .strictObject({
      epsilon: z.number().positive().max(100).optional(),
      rho: z.number().positive().max(100).optional(),
      maxGroupsPerPerson: z.number().int().min(1).max(1000).default(1),
      maxRowsPerGroup: z.number().int().min(1).max(100_000).default(1),
      resolution: z.number().positive().max(1_000_000).default(0.01),
      personTotals: z.record(z.string().min(1).max(200), z.tuple([z.number().finite(), z.number().finite()])).optional(),
    })
    .optional(),
};

const sqlRuleSchema = z.strictObject({
  join: z.boolean().optional(),
  dimension: z.boolean().optional(),
  aggregates: z.array(z.enum(['count', 'count_distinct', 'sum', 'avg'])).optional(),
});

/**
 * The shape of one analysis: common fields plus its kind's fixed settings, discriminated
 * by `kind`. Column names inside a kind's settings are plain names of the dataset named
 * beside them; `measures`, `group_by` values and filter columns are `dataset.column`.
 *
 * @example
 * ```ts
 * analysisSchema.safeParse({ kind: 'overlap', description: 'Overlap', datasets: ['a', 'b'],
 *   runs: ['x'], receives: ['x'] }).success; // true
 * ```
 */
export const analysisSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('aggregate'), ...base, measures: z.array(columnRef).default([]) }),
  z.strictObject({ kind: z.literal('overlap'), ...base }),
  z.strictObject({
    kind: z.literal('attribution'),
    ...base,
    exposures: z.strictObject({ dataset: nameSchema, timestamp: nameSchema, campaign: nameSchema }),
    conversions: z.strictObject({ dataset: nameSchema, timestamp: nameSchema, value: nameSchema }),
  }),
  z.strictObject({
    kind: z.literal('lift'),
    ...base,
    assignment: z.strictObject({
      dataset: nameSchema,
      column: nameSchema,
      exposed: z.string().min(1),
      holdout: z.string().min(1),
    }),
    conversions: z.strictObject({
      dataset: nameSchema,
      timestamp: nameSchema,
      value: nameSchema.optional(),
    }),
  }),
  z.strictObject({ kind: z.literal('activation'), ...base, audience: nameSchema }),
  z.strictObject({
    kind: z.literal('sql'),
    ...base,
    query: z.string().trim().min(1).max(MAX_SQL_LENGTH).optional(),
    rules: z
      .strictObject({
        columns: z.record(columnRef, sqlRuleSchema).default({}),
        scalarFunctions: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'Invalid function name')).optional(),
        mustJoinOwnData: z.boolean().default(true),
      })
      .default({ columns: {}, mustJoinOwnData: true }),
  }),
]);
