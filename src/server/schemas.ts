import { z } from 'zod';
import { HASHING_MODES } from '../core/template/template-vocabulary.js';

/** Bodies and answers of the API; routes validate with them and /openapi.json is built from them. */
export const createPartyBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

/** The one answer that carries an API key, shown once. */
export const partyCreated = z.object({ id: z.string(), name: z.string(), apiKey: z.string(), keyId: z.string() });

export const partySummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string().optional(),
  keys: z.array(z.object({ id: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })).optional(),
});

export const keyCreated = z.object({ partyId: z.string(), keyId: z.string(), apiKey: z.string() });

export const createCollaborationBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  template: z.string().min(1).max(100).describe('the name of a ready template (GET /v1/templates)'),
  members: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).describe('role -> party id'),
  hashing: z.enum(HASHING_MODES).optional().describe("how identifiers are protected, if not the ready template's: 'double-blind' matches without anyone able to test a guessed identifier (docs/double-blind.md)"),
});

const blindHex = z.string().max(200).describe('a ristretto255 element, 64 lower-case hex');

export const blindKeyCheckBody = z.strictObject({ keyCheck: blindHex.describe("the party's key check: its blind key times the public point (docs/double-blind.md)") });

export const blindAnswerBody = z.strictObject({
  ref: z.strictObject({ collaboration: z.string().max(200), dataset: z.string().max(200), version: z.number().int(), index: z.number().int() }),
  digest: z.string().max(200),
  elements: z.array(blindHex).max(100_000),
});

export const attestBody = z.strictObject({
  termsVersion: z.string().min(1).max(100),
  templateDigest: z.string().min(1).max(200),
});

export const runBody = z.strictObject({
  analysis: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const reviewBody = z.strictObject({ decision: z.enum(['approved', 'rejected']) });

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const uploadResult = z.object({
  dataset: z.string(),
  version: z.number(),
  report: z.record(z.string(), z.unknown()),
});

export const verifyResult = z.object({ ok: z.boolean() }).passthrough();

/** ε, δ and ρ as numbers: what was or would be charged, or what remains. */
export const privacyAmounts = z.object({ epsilon: z.number(), delta: z.number(), rho: z.number() });

const remainingBudgets = z.object({ collaboration: privacyAmounts, party: privacyAmounts }).describe("what remains of the collaboration's and of the caller's party's budget this period");

/** The body of POST /v1/collaborations/:id/runs/preview: the same as a run's. */
export const previewBody = runBody;

/** What a run would do, without running it (CleanRoom.previewRun). */
export const runPreview = z.strictObject({
  analysis: z.string(),
  dp: z.boolean().describe('whether the collaboration runs under differential privacy'),
  cached: z.boolean().describe('an identical earlier release would be returned, at no cost'),
  cachedFrom: z.string().nullable().describe('the run whose release would be returned'),
  cost: z.string().nullable().describe("a fresh run's cost in words, e.g. 'ε=0.5, δ=1e-7'; null without DP"),
  charged: privacyAmounts.describe('what this run would charge (0 when cached, refused or without DP)'),
  allowed: z.boolean(),
  reason: z.string().nullable().describe('why it would be refused, naming the cost and what remains'),
  remaining: remainingBudgets.nullable().describe('after this run when allowed; as now when cached or refused; null without DP'),
  periodEndsAt: z.number().nullable().describe('epoch ms when the budgets refresh; null when they never do'),
});

const dpBudget = z.object({ epsilon: z.number(), delta: z.number() });

/** A collaboration's privacy budget as the caller sees it (CleanRoom.privacyBudget). */
export const privacyBudget = z.strictObject({
  enabled: z.boolean().describe('false for a template without privacy.dp (then every other field is null or empty)'),
  mechanism: z.enum(['laplace', 'gaussian']).nullable(),
  budget: dpBudget.nullable().describe("the collaboration's total per period"),
  perParty: dpBudget.nullable().describe("each party's total per period; null: the collaboration's"),
  refreshDays: z.number().nullable(),
  remaining: remainingBudgets.nullable(),
  periodEndsAt: z.number().nullable(),
  analyses: z
    .record(
      z.string(),
      z.strictObject({
        cost: z.string(),
        charged: privacyAmounts,
        bounds: z
          .strictObject({
            maxGroupsPerPerson: z.number().describe('k: the most result rows one person reaches'),
            maxRowsPerGroup: z.number().describe("m: the most of one person's rows counted in a result row"),
            personTotals: z.record(z.string(), z.tuple([z.number(), z.number()])).describe("per summed column: the range one person's total in a result row is clamped to"),
          })
          .describe('how much of one person a run can use: what the noise is calibrated to'),
      }),
    )
    .describe('what one fresh run of each analysis costs, and the contribution bounds its noise is calibrated to'),
});
