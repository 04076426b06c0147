import { z } from 'zod';
import { nameSchema } from './names.js';
import { FILTER_OPS, PARAM_TYPES } from './template-vocabulary.js';

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
};

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
]);
