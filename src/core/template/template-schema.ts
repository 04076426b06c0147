import { z } from 'zod';
import { IDENTIFIER_KINDS } from '../identity/identifier-kind.js';
import { PROFILE_NAMES } from '../identity/identity-profile.js';
import { analysisSchema } from './analysis-schema.js';
import { nameSchema, slugSchema } from './names.js';
import type { Template } from './template-types.js';
import {
  ABILITIES,
  COLUMN_ROLES,
  COLUMN_TYPES,
  DEFAULT_MIN_PEOPLE,
  DP_MECHANISMS,
  HASHING_MODES,
} from './template-vocabulary.js';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

const text = z.string().trim().min(1);
const nonEmptyRecord = <T extends z.ZodType>(value: T) =>
  z.record(nameSchema, value).refine((record) => Object.keys(record).length > 0, {
    message: 'expected at least one entry',
    params: { problem: 'out_of_range' },
  });
const uniqueList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1)
    .refine((list) => new Set(list.map((v) => JSON.stringify(v))).size === list.length, {
      message: 'it lists the same value twice',
      params: { problem: 'duplicate_value' },
    });

const roleSchema = z.strictObject({
  abilities: uniqueList(z.enum(ABILITIES)),
  description: text,
});

const columnSchema = z.strictObject({
  type: z.enum(COLUMN_TYPES),
  role: z.enum(COLUMN_ROLES).optional(),
  identifier: z.enum(IDENTIFIER_KINDS).optional(),
  required: z.boolean(),
  allowedValues: uniqueList(z.string().min(1).max(200)).optional(),
  range: z.tuple([z.number(), z.number()]).optional(),
  description: text,
});

const datasetSchema = z.strictObject({
  owner: nameSchema,
  description: text,
  personKey: nameSchema.optional(),
  columns: nonEmptyRecord(columnSchema),
});

const identitySchema = z.strictObject({
  profile: z.enum(PROFILE_NAMES),
  hashing: z.enum(HASHING_MODES),
  matchKeys: z.array(uniqueList(z.enum(IDENTIFIER_KINDS))).min(1),
  // Absent, not defaulted: templates without a graph keep their digest.
  graph: z.strictObject({ dataset: nameSchema, maxIdentifiersPerPerson: z.number().int().min(1).max(10_000).default(25) }).optional(),
});

const budgetSchema = z.strictObject({
  epsilon: z.number().positive().max(1000),
  delta: z.number().min(0).max(1e-2).default(0),
});

const privacySchema = z.strictObject({
  minPeople: z.number().int().min(2).default(DEFAULT_MIN_PEOPLE),
  rounding: z
    .strictObject({ to: z.number().int().min(2) })
    .nullable()
    .default(null),
  reviewBy: z.array(nameSchema).default([]),
  // Absent, not defaulted: templates written before it keep their digest.
  noisyThreshold: z.strictObject({ scale: z.number().positive().max(100) }).optional(),
  dp: z
    .strictObject({
      unit: z.literal('person').default('person'),
      mechanism: z.enum(DP_MECHANISMS).default('laplace'),
      budget: budgetSchema,
      perParty: budgetSchema.nullable().default(null),
      refreshDays: z.number().int().min(1).max(3650).nullable().default(null),
      selectionDelta: z.number().positive().max(1e-3).default(1e-7),
    })
    .nullable()
    .default(null),
});

/**
 * The shape of a template, checked by zod: field types, closed vocabularies, names,
 * defaults, unknown fields refused (a misspelt `minPeopel` must not silently fall back to
 * the default). Cross-field rules live in `validateTemplate`; use that, not this schema.
 *
 * @example
 * ```ts
 * templateSchema.safeParse(json).success; // shape only
 * ```
 */
export const templateSchema: z.ZodType<Template> = z.strictObject({
  name: slugSchema,
  title: text,
  description: text,
  version: z.string().regex(SEMVER, 'Invalid version: expected a semantic version such as 1.0.0'),
  roles: nonEmptyRecord(roleSchema),
  datasets: nonEmptyRecord(datasetSchema),
  identity: identitySchema,
  analyses: nonEmptyRecord(analysisSchema),
  privacy: privacySchema.default({ minPeople: DEFAULT_MIN_PEOPLE, rounding: null, reviewBy: [], dp: null }),
  retentionDays: z.number().int().min(1).max(3650),
  terms: z.strictObject({ version: text, text }),
});
